/**
 * Container image references. The execution role may pull exactly the repositories the task's images
 * live in, so the repository ARN is derived from the (digest-pinned) reference itself: a literal,
 * known at preview, and impossible to widen without changing the image.
 */
import { partitionOf } from "./iamDocuments";

export interface EcrRepository {
  accountId: string;
  region: string;
  name: string;
  arn: string;
}

export interface ImageRef {
  registry: string;
  repository: string;
  digest?: string;
  tag?: string;
  /** Set when the registry is a private ECR registry (the only kind the execution role pulls from). */
  ecr?: EcrRepository;
}

const REFERENCE = /^(?<registry>[a-z0-9.-]+(?::\d+)?)\/(?<repository>[a-z0-9._/-]+?)(?::(?<tag>[\w.-]+))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;
const ECR_HOST = /^(?<accountId>\d{12})\.dkr\.ecr(?:-fips)?\.(?<region>[a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/;

export function parseImageRef(image: string): ImageRef {
  const m = REFERENCE.exec(image);
  if (!m?.groups) throw new Error(`not a fully qualified image reference: ${JSON.stringify(image)} (expected <registry>/<repository>[:tag]@sha256:<digest>)`);
  const { registry, repository, tag, digest } = m.groups;
  const host = ECR_HOST.exec(registry);
  const ecr = host?.groups
    ? {
        accountId: host.groups.accountId,
        region: host.groups.region,
        name: repository,
        arn: `arn:${partitionOf(host.groups.region)}:ecr:${host.groups.region}:${host.groups.accountId}:repository/${repository}`,
      }
    : undefined;
  return { registry, repository, tag, digest, ecr };
}

/** True when the reference cannot be re-pointed: pinned by digest. */
export function isDigestPinned(image: string): boolean {
  return parseImageRef(image).digest !== undefined;
}

/** Distinct ECR repository ARNs of a set of images (non-ECR images need no pull permission). */
export function ecrRepositoryArns(images: readonly string[]): string[] {
  return [...new Set(images.map((i) => parseImageRef(i).ecr?.arn).filter((a): a is string => a !== undefined))].sort();
}
