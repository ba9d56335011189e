// Assembly only: the policies live in ./policies so they can be tested and run offline without this
// module, whose `new PolicyPack` starts the gRPC server the Pulumi CLI talks to.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, heliumPolicies } from "./policies";

new PolicyPack(PACK_NAME, { policies: heliumPolicies });
