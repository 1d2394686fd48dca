import type * as aws from "@pulumi/aws";
import { allowingSids, evaluate, iamGlob } from "./iamPolicy";

const doc = (...Statement: aws.iam.PolicyStatement[]): aws.iam.PolicyDocument => ({ Version: "2012-10-17", Statement });

describe("test IAM evaluator", () => {
  it("matches IAM wildcards: actions case-insensitively, resources exactly", () => {
    expect(iamGlob("ec2:*", "EC2:RunInstances", true)).toBe(true);
    expect(iamGlob("arn:aws:iam::1:role/catalyst/*", "arn:aws:iam::1:role/catalyst/x")).toBe(true);
    expect(iamGlob("arn:aws:iam::1:role/catalyst/*", "arn:aws:iam::1:role/other/x")).toBe(false);
    expect(iamGlob("a?c", "abc")).toBe(true);
    expect(iamGlob("a.c", "abc")).toBe(false);
  });

  it("allows only when a statement matches action, resource and every condition; an explicit deny wins", () => {
    const d = doc(
      { Sid: "A", Effect: "Allow", Action: "s3:*", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": ["eu-west-1"] } } },
      { Sid: "D", Effect: "Deny", Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::state" },
    );
    expect(evaluate(d, { action: "s3:GetObject", resource: "arn:aws:s3:::x/y", context: { "aws:RequestedRegion": "eu-west-1" } })).toBe("allow");
    expect(evaluate(d, { action: "s3:GetObject", resource: "arn:aws:s3:::x/y", context: { "aws:RequestedRegion": "us-east-1" } })).toBe("implicit-deny");
    expect(evaluate(d, { action: "s3:GetObject", resource: "arn:aws:s3:::x/y" })).toBe("implicit-deny");
    expect(evaluate(d, { action: "s3:DeleteBucket", resource: "arn:aws:s3:::state", context: { "aws:RequestedRegion": "eu-west-1" } })).toBe("deny");
    expect(allowingSids(d, { action: "s3:GetObject", resource: "r", context: { "aws:RequestedRegion": "eu-west-1" } })).toEqual(["A"]);
  });

  it("treats a missing key as true for negated operators and supports ForAnyValue and policy variables", () => {
    const d = doc(
      { Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/state"] } } },
      {
        Effect: "Allow",
        Action: "ssm:TerminateSession",
        Resource: "arn:aws:ssm:*:1:session/*",
        Condition: { StringLike: { "ssm:resourceTag/aws:ssmmessages:session-id": ["${aws:userid}*"] } },
      },
      { Effect: "Deny", Action: "x:Read", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalArn": ["arn:ok"] } } },
    );
    expect(evaluate(d, { action: "kms:Decrypt", resource: "k", context: { "kms:ResourceAliases": ["alias/other", "alias/state"] } })).toBe("allow");
    expect(evaluate(d, { action: "kms:Decrypt", resource: "k", context: { "kms:ResourceAliases": ["alias/other"] } })).toBe("implicit-deny");
    const session = { action: "ssm:TerminateSession", resource: "arn:aws:ssm:eu-west-1:1:session/s-1" };
    expect(evaluate(d, { ...session, context: { "aws:userid": "AROA1:deploy", "ssm:resourceTag/aws:ssmmessages:session-id": "AROA1:deploy-0abc" } })).toBe(
      "allow",
    );
    expect(evaluate(d, { ...session, context: { "aws:userid": "AROA1:deploy", "ssm:resourceTag/aws:ssmmessages:session-id": "AROA2:other-0abc" } })).toBe(
      "implicit-deny",
    );
    expect(evaluate(d, { action: "x:Read", resource: "r" })).toBe("deny");
    expect(evaluate(d, { action: "x:Read", resource: "r", context: { "aws:PrincipalArn": "arn:ok" } })).toBe("implicit-deny");
  });

  it("refuses what it cannot judge", () => {
    expect(() =>
      evaluate(doc({ Effect: "Allow", Action: "a:b", Resource: "*", Condition: { NumericLessThan: { k: "1" } } }), {
        action: "a:b",
        resource: "r",
        context: { k: "0" },
      }),
    ).toThrow(/not supported/);
    expect(() => evaluate(doc({ Effect: "Allow", NotAction: "a:b", Resource: "*" } as aws.iam.PolicyStatement), { action: "a:c", resource: "r" })).toThrow(
      /NotAction/,
    );
  });
});
