import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface OncallNotificationsArgs {
  /** `${namePrefix}-oncall` is the topic, `alias/${namePrefix}-oncall` its key; alarms named `${namePrefix}-*` may publish. */
  namePrefix: string;
  /** A CloudWatch alarm can only notify a topic in its own region: one instance per region that holds alarms. */
  region: string;
  accountId: pulumi.Input<string>;
  emails: string[];
  /** Paging endpoints (PagerDuty/Opsgenie): secret, they embed integration keys. */
  httpsEndpoints: pulumi.Input<string[]>;
  /** How many entries `httpsEndpoints` has: known at preview, so subscriptions are declared without `apply`. */
  httpsEndpointCount: number;
  /**
   * Alarms (in this region) that notify e-mail but never the paging endpoints, because a composite alarm
   * already pages for them: one outage, one page.
   */
  quietAlarmNames?: string[];
  keyDeletionWindowDays?: number;
  protect?: boolean;
}

/** How long SNS keeps retrying a paging endpoint that is down: about an hour, not the default 3 tries in 60 s. */
export const HTTPS_DELIVERY_POLICY = {
  healthyRetryPolicy: {
    minDelayTarget: 5,
    maxDelayTarget: 300,
    numRetries: 20,
    numNoDelayRetries: 0,
    numMinDelayRetries: 2,
    numMaxDelayRetries: 10,
    backoffFunction: "exponential",
  },
};

type Statement = Record<string, unknown>;

/** CloudWatch may use the topic (and its key) only for alarms of this account, region and name prefix. */
function cloudWatchCondition(accountId: string, region: string, namePrefix: string): Statement {
  return {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:${namePrefix}-*` },
  };
}

export function oncallKeyPolicy(accountId: string, region: string, namePrefix: string): { Version: string; Statement: Statement[] } {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        // Without this an alarm's publish to the encrypted topic fails and nobody is paged.
        Sid: "CloudWatchAlarmsEncrypt",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: cloudWatchCondition(accountId, region, namePrefix),
      },
    ],
  };
}

export function oncallTopicPolicy(topicArn: string, accountId: string, region: string, namePrefix: string): { Version: string; Statement: Statement[] } {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyPublishWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: cloudWatchCondition(accountId, region, namePrefix),
      },
    ],
  };
}

/** SNS payload filter: everything except the quiet alarms' notifications (CloudWatch sends JSON with AlarmName). */
export function pagingFilterPolicy(quietAlarmNames: string[]): string | undefined {
  return quietAlarmNames.length ? JSON.stringify({ AlarmName: [{ "anything-but": [...quietAlarmNames].sort() }] }) : undefined;
}

/** Stable per-address logical names: adding or removing one address never re-sends the others' confirmations. */
function emailKey(email: string): string {
  return createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 10);
}

/**
 * The on-call topic of one region: KMS-encrypted with its own key, publishable only over TLS and only by
 * this stack's CloudWatch alarms, with every on-call subscriber. E-mail receives every notification;
 * paging endpoints receive all but the quiet alarms.
 */
export class OncallNotifications extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  public readonly topicName: string;
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyAlias: string;

  constructor(name: string, args: OncallNotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:observability:OncallNotifications", name, {}, opts);
    const region = args.region;
    const child = { parent: this };
    this.topicName = `${args.namePrefix}-oncall`;
    this.keyAlias = `alias/${args.namePrefix}-oncall`;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        region,
        description: `Encrypts the on-call topic ${this.topicName} (${region})`,
        enableKeyRotation: true,
        deletionWindowInDays: args.keyDeletionWindowDays ?? 30,
        policy: pulumi.jsonStringify(pulumi.output(args.accountId).apply((account) => oncallKeyPolicy(account, region, args.namePrefix))),
      },
      { ...child, protect: args.protect ?? true },
    );
    const alias = new aws.kms.Alias(`${name}-key-alias`, { region, name: this.keyAlias, targetKeyId: key.keyId }, child);

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      // The alias (a literal) rather than the key ARN: policies can see at preview that the topic is encrypted.
      { region, name: this.topicName, displayName: `Catalyst on-call (${args.namePrefix})`, kmsMasterKeyId: this.keyAlias },
      { ...child, dependsOn: [alias] },
    );
    const topicArn = pulumi.interpolate`arn:aws:sns:${region}:${args.accountId}:${this.topicName}`;
    new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        region,
        arn: topic.arn,
        policy: pulumi.jsonStringify(
          pulumi.all([topicArn, args.accountId]).apply(([arn, account]) => oncallTopicPolicy(arn, account, region, args.namePrefix)),
        ),
      },
      child,
    );

    for (const email of args.emails) {
      new aws.sns.TopicSubscription(`${name}-email-${emailKey(email)}`, { region, topic: topic.arn, protocol: "email", endpoint: email }, child);
    }
    const endpoints = pulumi.secret(args.httpsEndpoints);
    const filterPolicy = pagingFilterPolicy(args.quietAlarmNames ?? []);
    for (let i = 0; i < args.httpsEndpointCount; i++) {
      new aws.sns.TopicSubscription(
        `${name}-https-${i}`,
        {
          region,
          topic: topic.arn,
          protocol: "https",
          endpoint: endpoints.apply((e) => e[i]),
          // PagerDuty and Opsgenie confirm SNS subscriptions themselves.
          endpointAutoConfirms: true,
          deliveryPolicy: JSON.stringify(HTTPS_DELIVERY_POLICY),
          ...(filterPolicy ? { filterPolicy, filterPolicyScope: "MessageBody" } : {}),
        },
        child,
      );
    }

    this.topicArn = topic.arn;
    this.keyArn = key.arn;
    this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName, keyArn: this.keyArn, keyAlias: this.keyAlias });
  }
}
