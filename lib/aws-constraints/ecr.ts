/** ECR constraints on values that come from config: repository names. */
import { awsNameAllowed } from "../aws-name-rules";

/**
 * An ECR repository name: 2-256 characters, lower-case words joined by '.', '_', '__' or hyphens, in
 * '/'-separated namespaces (`team/helium-backend`). Source:
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html; botocore
 * `ecr/2015-09-21` RepositoryName (min 2, max 256, pattern). The page says "must start with a letter" but
 * the pattern allows a digit; the pattern is what the service checks.
 */
export function ecrRepositoryNameProblem(name: string): string | undefined {
  return awsNameAllowed("ecrRepository", name);
}
