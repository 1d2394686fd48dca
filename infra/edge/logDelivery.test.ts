import { ELB_LOG_DELIVERY_SERVICE, elbLogDeliveryPrincipal, logBucketPolicy, partitionOf } from "./logDelivery";

describe("ELB log delivery principal", () => {
  it.each([
    ["eu-west-1", { AWS: "arn:aws:iam::156460612806:root" }],
    ["us-east-1", { AWS: "arn:aws:iam::127311923021:root" }],
    ["eu-central-1", { AWS: "arn:aws:iam::054676820928:root" }],
    ["cn-north-1", { AWS: "arn:aws-cn:iam::638102146993:root" }],
    ["us-gov-west-1", { AWS: "arn:aws-us-gov:iam::048591011584:root" }],
  ])("a region opened before August 2022 (%s) delivers as its regional ELB account", (region, principal) => {
    expect(elbLogDeliveryPrincipal(region)).toEqual(principal);
  });

  it.each(["eu-central-2", "eu-south-2", "ap-south-2", "il-central-1", "ca-west-1"])("a newer region (%s) delivers as the log delivery service", (region) => {
    expect(elbLogDeliveryPrincipal(region)).toEqual({ Service: ELB_LOG_DELIVERY_SERVICE });
  });

  it("derives the partition from the region name", () => {
    expect([partitionOf("eu-west-1"), partitionOf("cn-northwest-1"), partitionOf("us-gov-east-1")]).toEqual(["aws", "aws-cn", "aws-us-gov"]);
  });
});

describe("logBucketPolicy", () => {
  const doc = logBucketPolicy({ bucketName: "logs", region: "eu-central-2", accountId: "111122223333", prefixes: ["access", "connection"] });
  const statements = doc.Statement as unknown as Array<Record<string, unknown>>;

  it("denies plain HTTP and TLS below 1.2 to everyone", () => {
    expect(statements.filter((s) => s.Effect === "Deny").map((s) => s.Condition)).toEqual([
      { Bool: { "aws:SecureTransport": "false" } },
      { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    ]);
  });

  it("allows only PutObject, only under each prefix's AWSLogs/<account>/", () => {
    const allow = statements.filter((s) => s.Effect === "Allow");
    expect(allow).toEqual([
      {
        Sid: "AllowElbLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: ["arn:aws:s3:::logs/access/AWSLogs/111122223333/*", "arn:aws:s3:::logs/connection/AWSLogs/111122223333/*"],
      },
    ]);
  });
});
