export { Edge, WAF_MIN_RATE_LIMIT } from "./edge";
export type { EdgeArgs } from "./edge";
export { DnsValidatedCertificate } from "./certificate";
export { CloudflareFront, unproxiedWarning } from "./cloudflare";
export { AlbLogBucket } from "./logBucket";
export { SecureAlb, DEFAULT_TLS_POLICY, AGENT_PATHS, APPS } from "./loadBalancer";
export { EdgeWaf, REDACTED_HEADERS } from "./webAcl";
export { SECURITY_HEADERS, ALB_HEADERS, EDGE_ONLY_HEADERS, CSP_DIRECTIVES } from "./headers";
export { RULE_METRICS, CLIENT_IP_HEADER, SIGN_IN_PATH_REGEX, MANAGED_RULE_GROUPS } from "./wafRules";
