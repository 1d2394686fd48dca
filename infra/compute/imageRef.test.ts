import { ecrRepositoryArns, isDigestPinned, parseImageRef } from "./imageRef";

const DIGEST = "sha256:" + "a".repeat(64);

describe("parseImageRef", () => {
  it("derives the ECR repository ARN from a private ECR reference", () => {
    const ref = parseImageRef(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/catalyst/frontend@${DIGEST}`);
    expect(ref).toEqual({
      registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
      repository: "catalyst/frontend",
      tag: undefined,
      digest: DIGEST,
      ecr: {
        accountId: "123456789012",
        region: "eu-west-1",
        name: "catalyst/frontend",
        arn: "arn:aws:ecr:eu-west-1:123456789012:repository/catalyst/frontend",
      },
    });
  });

  it("keeps tag and digest apart when both are given", () => {
    const ref = parseImageRef(`123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1.2.3@${DIGEST}`);
    expect([ref.repository, ref.tag, ref.digest]).toEqual(["app", "v1.2.3", DIGEST]);
  });

  it("uses the partition of GovCloud and China registries", () => {
    expect(parseImageRef(`123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/app@${DIGEST}`).ecr?.arn).toBe(
      "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/app",
    );
    expect(parseImageRef(`123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app@${DIGEST}`).ecr?.arn).toBe(
      "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app",
    );
  });

  it("needs no ECR access for another registry", () => {
    expect(parseImageRef(`ghcr.io/acme/app@${DIGEST}`).ecr).toBeUndefined();
  });

  it("rejects references without a registry", () => {
    expect(() => parseImageRef(`app@${DIGEST}`)).toThrow("not a fully qualified image reference");
  });

  it("tells digest-pinned from tag-only references", () => {
    expect(isDigestPinned(`ghcr.io/acme/app@${DIGEST}`)).toBe(true);
    expect(isDigestPinned("ghcr.io/acme/app:latest")).toBe(false);
  });
});

describe("ecrRepositoryArns", () => {
  it("lists each ECR repository once and skips other registries", () => {
    const a = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/a@${DIGEST}`;
    const b = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/b@${DIGEST}`;
    expect(ecrRepositoryArns([b, a, a, `ghcr.io/x/y@${DIGEST}`])).toEqual([
      "arn:aws:ecr:eu-west-1:123456789012:repository/a",
      "arn:aws:ecr:eu-west-1:123456789012:repository/b",
    ]);
  });
});
