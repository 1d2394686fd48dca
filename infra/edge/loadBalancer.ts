import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALLOWED_TLS_POLICIES, TlsPolicy } from "../../stacks/validators";
import { albResponseHeaderAttributes } from "./headers";
import { ACCESS_LOG_PREFIX, CONNECTION_LOG_PREFIX } from "./logBucket";

/** AWS's current recommendation: TLS 1.3 preferred, TLS 1.2 with forward-secret AEAD ciphers only, hybrid PQ key exchange. */
export const DEFAULT_TLS_POLICY: TlsPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** Paths served by the agent app; everything else is the frontend's. Exact `/agent` plus its subtree, not `/agentfoo`. */
export const AGENT_PATHS = ["/agent", "/agent/*"] as const;
export const AGENT_RULE_PRIORITY = 100;

export type AppName = "frontend" | "agent";

/**
 * Target groups per app. The agent requires a session everywhere, so an anonymous health check at
 * `/agent` is answered with a redirect to the frontend's sign-in: 3xx is healthy there, not on `/`.
 */
export const APPS: Record<AppName, { port: number; namePrefix: string; healthPath: string; healthyCodes: string }> = {
  frontend: { port: 3000, namePrefix: "fe-", healthPath: "/", healthyCodes: "200" },
  agent: { port: 3001, namePrefix: "agent-", healthPath: "/agent", healthyCodes: "200-399" },
};

/** Next.js requests finish in seconds: a short drain keeps deploys quick without cutting responses. */
export const DEREGISTRATION_DELAY_SECONDS = 30;
/** A new task warms its caches on a share of traffic that grows over this window instead of all at once. */
export const SLOW_START_SECONDS = 60;

export interface SecureAlbArgs {
  /** Physical load balancer name (≤ 32 characters, unique in the account and region). */
  name: string;
  vpcId: pulumi.Input<string>;
  /** Public subnets, one per availability zone. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The load-balancer security group (owned by the network): it decides who may connect. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  certificateArn: pulumi.Input<string>;
  tlsPolicy?: TlsPolicy;
  /** Defaults to true; only a disposable stack turns it off. */
  deletionProtection?: boolean;
  desyncMitigationMode?: "defensive" | "strictest";
  logBucketName: pulumi.Input<string>;
  /** Resources that must exist before logging is switched on (the log bucket's policy): ELB checks it can write. */
  logsReady: pulumi.Input<pulumi.Resource>[];
}

export interface TargetGroupOutputs {
  arn: pulumi.Output<string>;
  arnSuffix: pulumi.Output<string>;
  name: pulumi.Output<string>;
}

/**
 * Internet-facing ALB: HTTPS only (HTTP answers with a 301 to HTTPS and nothing else), a TLS 1.2+
 * policy, security headers on every response, invalid header fields dropped, desync mitigation, and
 * access and connection logs. `/agent` and `/agent/*` go to the agent, the rest to the frontend.
 */
export class SecureAlb extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly arnSuffix: pulumi.Output<string>;
  public readonly dnsName: pulumi.Output<string>;
  public readonly zoneId: pulumi.Output<string>;
  public readonly httpsListenerArn: pulumi.Output<string>;
  public readonly targetGroups: Record<AppName, TargetGroupOutputs>;
  /**
   * ECS refuses a service whose target group is not yet attached to a listener: services depend on these.
   */
  public readonly routingResources: pulumi.Resource[];

  constructor(name: string, args: SecureAlbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:edge:SecureAlb", name, {}, opts);
    const child = { parent: this };
    const tlsPolicy = args.tlsPolicy ?? DEFAULT_TLS_POLICY;
    if (!(ALLOWED_TLS_POLICIES as readonly string[]).includes(tlsPolicy)) {
      throw new Error(`SecureAlb ${name}: TLS policy ${tlsPolicy} is not one of the allowed TLS 1.2+ policies (${ALLOWED_TLS_POLICIES.join(", ")})`);
    }

    const lb = new aws.lb.LoadBalancer(
      `${name}-lb`,
      {
        name: args.name,
        loadBalancerType: "application",
        internal: false,
        ipAddressType: "ipv4",
        subnets: args.subnetIds,
        securityGroups: args.securityGroupIds,
        dropInvalidHeaderFields: true,
        desyncMitigationMode: args.desyncMitigationMode ?? "defensive",
        enableDeletionProtection: args.deletionProtection ?? true,
        enableHttp2: true,
        // If WAF cannot answer, requests are refused rather than let through unfiltered.
        enableWafFailOpen: false,
        idleTimeout: 60,
        accessLogs: { bucket: args.logBucketName, prefix: ACCESS_LOG_PREFIX, enabled: true },
        connectionLogs: { bucket: args.logBucketName, prefix: CONNECTION_LOG_PREFIX, enabled: true },
      },
      { ...child, dependsOn: args.logsReady },
    );

    const frontend = this.targetGroup(name, "frontend", args.vpcId);
    const agent = this.targetGroup(name, "agent", args.vpcId);

    const https = new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: tlsPolicy,
        certificateArn: args.certificateArn,
        defaultActions: [{ type: "forward", targetGroupArn: frontend.arn }],
        ...albResponseHeaderAttributes(),
      },
      child,
    );
    new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: lb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: httpsRedirect() }],
        routingHttpResponseServerEnabled: false,
      },
      child,
    );
    const agentRule = new aws.lb.ListenerRule(
      `${name}-agent`,
      {
        listenerArn: https.arn,
        priority: AGENT_RULE_PRIORITY,
        conditions: [{ pathPattern: { values: [...AGENT_PATHS] } }],
        actions: [{ type: "forward", targetGroupArn: agent.arn }],
      },
      child,
    );

    this.arn = lb.arn;
    this.arnSuffix = lb.arnSuffix;
    this.dnsName = lb.dnsName;
    this.zoneId = lb.zoneId;
    this.httpsListenerArn = https.arn;
    this.targetGroups = { frontend: outputsOf(frontend), agent: outputsOf(agent) };
    this.routingResources = [https, agentRule];
    this.registerOutputs({ arn: this.arn, arnSuffix: this.arnSuffix, dnsName: this.dnsName, httpsListenerArn: this.httpsListenerArn });
  }

  private targetGroup(name: string, app: AppName, vpcId: pulumi.Input<string>): aws.lb.TargetGroup {
    const spec = APPS[app];
    // A name prefix lets a replacement group be created before the old one is deleted.
    return new aws.lb.TargetGroup(
      `${name}-${app}`,
      {
        namePrefix: spec.namePrefix,
        targetType: "ip",
        vpcId,
        port: spec.port,
        protocol: "HTTP",
        protocolVersion: "HTTP1",
        deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
        slowStart: SLOW_START_SECONDS,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: spec.healthPath,
          matcher: spec.healthyCodes,
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
      },
      { parent: this },
    );
  }
}

/** Same host, path and query; only the scheme and port change. Permanent, so browsers remember it. */
export function httpsRedirect() {
  return { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", statusCode: "HTTP_301" };
}

function outputsOf(tg: aws.lb.TargetGroup): TargetGroupOutputs {
  return { arn: tg.arn, arnSuffix: tg.arnSuffix, name: tg.name };
}
