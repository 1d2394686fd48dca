import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_ONLY_HEADERS, SECURITY_HEADERS } from "./headers";

export interface CloudflareFrontArgs {
  zoneId: string;
  /** The app hostname (a name in the zone). */
  domain: string;
  /** Where the hostname points (the ALB's DNS name). */
  target: pulumi.Input<string>;
  /** Defaults to true. Off means no edge headers, no origin-certificate check, and a warning. */
  proxied?: boolean;
}

/** Printed when a stack turns proxying off: what the stack then no longer guarantees. */
export function unproxiedWarning(domain: string): string {
  return (
    `Cloudflare proxying is OFF for ${domain}: the ALB accepts connections from the whole internet, ` +
    `WAF rate limits key on the connecting address, and ${EDGE_ONLY_HEADERS.join(", ")} are NOT set by the infrastructure — ` +
    `both apps must send them (README "Edge"). Set catalyst:cloudflareProxied true unless this is deliberate.`
  );
}

/**
 * The app's public name in Cloudflare. Proxied (the default), Cloudflare adds the headers an ALB cannot
 * set and verifies the ALB's certificate (SSL "Full (strict)") for this hostname only.
 */
export class CloudflareFront extends pulumi.ComponentResource {
  public readonly hostname: string;
  public readonly proxied: boolean;

  constructor(name: string, args: CloudflareFrontArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:edge:CloudflareFront", name, {}, opts);
    const child = { parent: this };
    const proxied = args.proxied ?? true;

    new cloudflare.DnsRecord(
      `${name}-app`,
      {
        zoneId: args.zoneId,
        name: args.domain,
        type: "CNAME",
        content: args.target,
        proxied,
        // Cloudflare requires TTL 1 ("automatic") on proxied records.
        ttl: proxied ? 1 : 300,
        comment: "Catalyst app (frontend + /agent), points at the ALB",
      },
      child,
    );

    if (proxied) {
      // Both rulesets are zone-level (one per phase) and scoped to this hostname by one rule each.
      const hostRuleset = (
        role: string,
        phase: string,
        title: string,
        description: string,
        rule: { action: string; description: string; actionParameters: object },
      ) =>
        new cloudflare.Ruleset(
          `${name}-${role}`,
          {
            zoneId: args.zoneId,
            kind: "zone",
            phase,
            name: `${title} for ${args.domain}`,
            description,
            rules: [{ ...rule, expression: `(http.host eq "${args.domain}")`, enabled: true }],
          },
          child,
        );
      hostRuleset(
        "response-headers",
        "http_response_headers_transform",
        "Catalyst security headers",
        "Headers an ALB cannot set (Referrer-Policy, Permissions-Policy, X-XSS-Protection)",
        {
          action: "rewrite",
          description: "Catalyst security headers",
          actionParameters: { headers: edgeHeaders() },
        },
      );
      hostRuleset(
        "origin-tls",
        "http_config_settings",
        "Catalyst origin TLS",
        "Full (strict): Cloudflare reaches the ALB over HTTPS and verifies its ACM certificate",
        {
          action: "set_config",
          description: "Verify the origin certificate",
          actionParameters: { ssl: "strict" },
        },
      );
    } else {
      void pulumi.log.warn(unproxiedWarning(args.domain), this);
    }

    this.hostname = args.domain;
    this.proxied = proxied;
    this.registerOutputs({ hostname: this.hostname, proxied: this.proxied });
  }
}

function edgeHeaders(): Record<string, { operation: string; value: string }> {
  return Object.fromEntries(EDGE_ONLY_HEADERS.map((h) => [h, { operation: "set", value: SECURITY_HEADERS[h] }]));
}
