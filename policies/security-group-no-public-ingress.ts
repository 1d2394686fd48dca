import { catalystResourcePolicy, decideAtUp, forTypes, UNKNOWN } from "./lib";
import { describePorts, describeSources, ingressEntries, INGRESS_TYPES, portClass, publicSources } from "./lib/security-group-rules";

/**
 * Decides per resource, before it is created, the part that needs no other resource: nothing but
 * tcp 80 and tcp 443 may be open to an internet address range. Whether those two ports are open on
 * a load balancer's group (and nothing else's) is `security-group-public-ingress-load-balancer-only`,
 * and so is every managed prefix list source: its entries are on other resources, out of sight here.
 */
export const securityGroupNoPublicIngress = catalystResourcePolicy({
  name: "security-group-no-public-ingress",
  description:
    "Security groups must not open any port other than tcp 80/443 to internet addresses (0.0.0.0/0, ::/0 or any public range) given as CIDRs " +
    "(prefix-list sources are judged by security-group-public-ingress-load-balancer-only).",
  severity: "critical",
  remediationSteps:
    "Open the app ports (3000, 3001) and the database only to other security groups (referencedSecurityGroupId / securityGroups), " +
    "never to a CIDR that includes public addresses. Only the load balancer's group may accept tcp 80 and 443 from the internet, as two single-port rules.",
  checklist: ["Server firewall configured (allow 80, 443; block 3000, 3001)"],
  validateResource: forTypes(INGRESS_TYPES, (props, args, reportViolation) => {
    const unknown: string[] = [];
    for (const entry of ingressEntries(args.type, props)) {
      const ports = portClass(entry);
      const sources = publicSources(entry);
      if (ports === "web") continue;
      if (sources.known.length > 0) {
        if (ports === UNKNOWN) unknown.push(`${entry.path} protocol/ports`);
        else
          reportViolation(
            `${entry.path} opens ${describePorts(entry)} to ${describeSources(sources.known)}: only tcp 80 and 443 may be reachable from the internet.`,
          );
      }
      if (sources.unknown) unknown.push(`${entry.path} source CIDR`);
    }
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "ingress CIDRs and ports must be literals in the program (or use security group references)");
  }),
});
