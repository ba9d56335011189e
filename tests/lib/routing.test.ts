import * as assert from "node:assert/strict";
import { DEFAULT_SERVICES, type RouteSpec, servicesSchema } from "../../config/services";
import {
  AUTO_PRIORITY_START,
  AUTO_PRIORITY_STEP,
  assignRoutePriorities,
  routeSpecificityClass,
} from "../../lib/routing";

const svc = (...routes: RouteSpec[]) => ({ routes });

describe("lib/routing assignRoutePriorities", () => {
  it("gives Helium's defaults: backend /api/* automatic, frontend keeps its explicit catch-all 50000, worker none", () => {
    const services = servicesSchema.parse(DEFAULT_SERVICES);
    const priorities = assignRoutePriorities(services);
    assert.deepEqual(priorities, { backend: [AUTO_PRIORITY_START], frontend: [50000], worker: [] });
  });

  it("orders host+path, then host, then path (longer first), then catch-all, whatever the key order", () => {
    const services = {
      web: svc({ pathPatterns: ["/*"] }),
      api: svc({ pathPatterns: ["/api/*"] }),
      apiv2: svc({ pathPatterns: ["/api/v2/*"] }),
      admin: svc({ hostHeaders: ["admin.he2.site"] }),
      adminapi: svc({ hostHeaders: ["admin.he2.site"], pathPatterns: ["/api/*"] }),
    };
    const forward = assignRoutePriorities(services);
    const reversed = assignRoutePriorities(Object.fromEntries(Object.entries(services).reverse()));
    assert.deepEqual(forward, reversed, "key order must not matter");
    const order = Object.entries(forward)
      .sort((a, b) => a[1][0] - b[1][0])
      .map(([name]) => name);
    assert.deepEqual(order, ["adminapi", "admin", "apiv2", "api", "web"]);
    assert.deepEqual(
      Object.values(forward)
        .map((p) => p[0])
        .sort((a, b) => a - b),
      [0, 1, 2, 3, 4].map((i) => AUTO_PRIORITY_START + i * AUTO_PRIORITY_STEP),
    );
  });

  it("breaks ties by service name, then route index", () => {
    const priorities = assignRoutePriorities({
      zeta: svc({ pathPatterns: ["/z/*"] }),
      alpha: svc({ pathPatterns: ["/a/*"] }, { pathPatterns: ["/b/*"] }),
    });
    assert.ok(priorities.alpha[0] < priorities.alpha[1]);
    assert.ok(priorities.alpha[1] < priorities.zeta[0]);
  });

  it("keeps explicit priorities and skips them when numbering the others", () => {
    const priorities = assignRoutePriorities({
      pinned: svc({ pathPatterns: ["/pinned/*"], priority: AUTO_PRIORITY_START }),
      other: svc({ pathPatterns: ["/other/*"] }),
    });
    assert.equal(priorities.pinned[0], AUTO_PRIORITY_START);
    assert.notEqual(priorities.other[0], AUTO_PRIORITY_START);
    assert.ok(priorities.other[0] > AUTO_PRIORITY_START);
  });

  it("ignores disabled services", () => {
    const priorities = assignRoutePriorities({
      off: { enabled: false, routes: [{ pathPatterns: ["/api/*"] }] },
      on: svc({ pathPatterns: ["/api/*"] }),
    });
    assert.deepEqual(Object.keys(priorities), ["on"]);
  });

  it("classifies catch-all only when there is no host condition", () => {
    assert.equal(routeSpecificityClass({ pathPatterns: ["/*"] }), 3);
    assert.equal(routeSpecificityClass({ pathPatterns: ["/*"], hostHeaders: ["a.he2.site"] }), 0);
  });

  it("throws on a duplicate route, naming both routes and the conditions", () => {
    assert.throws(
      () =>
        assignRoutePriorities({
          a: svc({ pathPatterns: ["/x/*", "/y/*"] }),
          b: svc({ pathPatterns: ["/y/*", "/x/*"] }),
        }),
      /routes: duplicate route b\.routes\[0\] \(paths \/y\/\*,\/x\/\*\): a\.routes\[0\] already routes the same hosts and paths/,
    );
  });

  it("treats host headers case-insensitively when detecting duplicates", () => {
    assert.throws(
      () =>
        assignRoutePriorities({
          a: svc({ hostHeaders: ["Admin.he2.site"] }),
          b: svc({ hostHeaders: ["admin.he2.site"] }),
        }),
      /duplicate route/,
    );
  });

  it("throws on a duplicate explicit priority, naming the priority and both routes", () => {
    assert.throws(
      () =>
        assignRoutePriorities({
          a: svc({ pathPatterns: ["/a/*"], priority: 7 }),
          b: svc({ pathPatterns: ["/b/*"], priority: 7 }),
        }),
      /routes: duplicate priority 7 on b\.routes\[0\]: a\.routes\[0\] already uses it/,
    );
  });

  it("throws on a priority outside 1-50000", () => {
    assert.throws(
      () => assignRoutePriorities({ a: svc({ pathPatterns: ["/a/*"], priority: 50001 }) }),
      /a\.routes\[0\]\.priority 50001 is not allowed; priorities are integers 1-50000/,
    );
  });
});
