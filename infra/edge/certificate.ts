import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

export interface DnsValidatedCertificateArgs {
  domain: string;
  /** Cloudflare zone that holds `domain`. */
  zoneId: string;
}

/**
 * ACM certificate for the app domain, validated through a Cloudflare CNAME. The validation record stays
 * in place, which is what lets ACM renew the certificate automatically before it expires.
 * `certificateArn` resolves only once ACM reports the certificate issued, so listeners wait for it.
 */
export class DnsValidatedCertificate extends pulumi.ComponentResource {
  public readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, args: DnsValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:edge:DnsValidatedCertificate", name, {}, opts);
    const child = { parent: this };

    const certificate = new aws.acm.Certificate(
      `${name}-certificate`,
      { domainName: args.domain, validationMethod: "DNS", keyAlgorithm: "RSA_2048", options: { certificateTransparencyLoggingPreference: "ENABLED" } },
      child,
    );
    // One record per known domain (only `domain` here): no resource is created inside an apply.
    const option = certificate.domainValidationOptions.apply((options) => {
      const found = options.find((o) => o.domainName === args.domain);
      if (!found) throw new Error(`ACM returned no DNS validation record for ${args.domain}`);
      return found;
    });
    const recordName = option.apply((o) => withoutTrailingDot(o.resourceRecordName));
    const record = new cloudflare.DnsRecord(
      `${name}-validation`,
      {
        zoneId: args.zoneId,
        name: recordName,
        type: option.apply((o) => o.resourceRecordType),
        content: option.apply((o) => withoutTrailingDot(o.resourceRecordValue)),
        ttl: 60,
        // ACM must resolve the CNAME itself; a proxied record would answer with Cloudflare addresses.
        proxied: false,
        comment: `ACM DNS validation for ${args.domain} (kept for automatic renewal)`,
      },
      child,
    );
    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      { certificateArn: certificate.arn, validationRecordFqdns: [recordName] },
      { ...child, dependsOn: [record] },
    );

    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}

function withoutTrailingDot(name: string): string {
  return name.endsWith(".") ? name.slice(0, -1) : name;
}
