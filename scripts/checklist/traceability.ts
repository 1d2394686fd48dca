// What, besides policies, makes each security requirement true. Policies declare their own
// requirements (policyMeta); this map adds the components that build it, the tests that prove it
// offline, the live verifier checks that prove it after deploy, docs, and — where nothing in this
// repository can — "manual" with the reason. Every reference is checked by scripts/checklist.
export interface Evidence {
  /** "infra/<dir>/<file>.ts#ClassName" */
  components?: string[];
  /** Test files (repository paths). */
  tests?: string[];
  /** "<tool>:<check id>" of scripts/verify (verify-edge, verify-db); "<prefix>*" names a family of checks. */
  verifier?: string[];
  /** Runbooks and other docs (repository paths). */
  docs?: string[];
  /** Why a person must check it; set when the rest does not fully cover the item. */
  manual?: string;
  /** A caveat worth reading next to the evidence. */
  note?: string;
}

const C = {
  network: "infra/network/network.ts#Network",
  database: "infra/database/database.ts#Database",
  dbUsers: "infra/database/users.ts#DatabaseUsers",
  dbAdmin: "infra/database/adminHost.ts#DbAdminHost",
  backup: "infra/backup/databaseBackup.ts#DatabaseBackup",
  secrets: "infra/secrets/appSecrets.ts#AppSecrets",
  secretAccess: "infra/secrets/secretAccessPolicy.ts#SecretAccessPolicy",
  compute: "infra/compute/compute.ts#Compute",
  task: "infra/compute/fargateTask.ts#FargateTask",
  service: "infra/compute/appService.ts#AppService",
  edge: "infra/edge/edge.ts#Edge",
  alb: "infra/edge/loadBalancer.ts#SecureAlb",
  waf: "infra/edge/webAcl.ts#EdgeWaf",
  certificate: "infra/edge/certificate.ts#DnsValidatedCertificate",
  cloudflare: "infra/edge/cloudflare.ts#CloudflareFront",
  albLogs: "infra/edge/logBucket.ts#AlbLogBucket",
  observability: "infra/observability/observability.ts#Observability",
  oncall: "infra/observability/notifications.ts#OncallNotifications",
};

const T = {
  network: "infra/network/network.test.ts",
  database: "infra/database/database.test.ts",
  users: "infra/database/users.test.ts",
  backup: "infra/backup/databaseBackup.test.ts",
  secrets: "infra/secrets/secrets.test.ts",
  compute: "infra/compute/compute.test.ts",
  containerSpec: "infra/compute/containerSpec.test.ts",
  imageRef: "infra/compute/imageRef.test.ts",
  edge: "infra/edge/edge.test.ts",
  headers: "infra/edge/headers.test.ts",
  waf: "infra/edge/wafRules.test.ts",
  observability: "infra/observability/observability.test.ts",
  packSynth: "policies/pack-synth.test.ts",
  verifyDb: "scripts/verify/db/verify-db.test.ts",
  verifyEdge: "scripts/verify/edge/verify-edge.test.ts",
};

const APP_REPO =
  "an application property, proven by the application repository's CI (bun run build / type-check / lint and its tests); this repository deploys the resulting images pinned by digest";

export const TRACEABILITY: Record<string, Evidence> = {
  // Pre-deployment
  "All environment variables set securely (not in code)": {
    components: [C.secrets, C.secretAccess, C.task],
    tests: [T.secrets, T.compute, T.containerSpec],
  },
  "`BETTER_AUTH_SECRET` generated with strong random value": {
    components: [C.secrets],
    tests: [T.secrets],
    note: "32 random bytes (random.RandomBytes, base64) stored only in Secrets Manager; rotation = bump catalyst:secretsGeneration.",
    docs: ["docs/runbooks/rotate-secrets.md"],
  },
  "Database passwords are strong and unique": {
    components: [C.dbUsers, C.database],
    tests: [T.users, T.database],
    note: "App and migration users get distinct random passwords; the RDS master password is managed and rotated by RDS.",
  },
  "Database user has minimal required privileges": {
    components: [C.dbUsers],
    tests: [T.users],
    verifier: ["verify-db:grants.scope", "verify-db:grants.global", "verify-db:grants.grant-option", "verify-db:probe.ddl-refused"],
  },
  "`DATABASE_URL` uses limited-privilege user (not root)": {
    components: [C.secrets, C.dbUsers],
    tests: [T.secrets, T.users],
    verifier: ["verify-db:grants.app-schema", "verify-db:probe.ddl-refused", "verify-db:probe.create-database-refused"],
  },
  "HTTPS/TLS configured with valid certificate": {
    components: [C.certificate, C.alb],
    tests: [T.edge],
    verifier: ["verify-edge:tls.certificate", "verify-edge:tls.version-*"],
  },
  "Security headers configured (HSTS, X-Frame-Options, etc.)": {
    components: [C.alb, C.cloudflare],
    tests: [T.headers, T.edge],
    verifier: [
      "verify-edge:headers.hsts",
      "verify-edge:headers.x-frame-options",
      "verify-edge:headers.x-content-type-options",
      "verify-edge:headers.referrer-policy",
      "verify-edge:headers.permissions-policy",
    ],
  },
  "Content Security Policy configured": { components: [C.alb], tests: [T.headers], verifier: ["verify-edge:headers.csp"] },
  "Error reporting service integrated": {
    manual:
      "the error-reporting SDK (Sentry, DataDog, …) lives in the apps' error boundaries; infrastructure only supplies its DSN as a secret if one is added",
  },
  "Rate limiting configured on auth endpoints": {
    components: [C.waf],
    tests: [T.waf, T.edge],
    docs: ["docs/runbooks/waf-blocks.md", "docs/runbooks/auth-failures.md"],
    note: 'WAF on an ALB sees requests, not responses: "5 failed attempts per 15 minutes" cannot be expressed there. The WAF blocks sign-in POSTs above 10 per 600 s per client IP (CF-Connecting-IP); failure-based lockout must be configured in Better Auth (rate-limit rules with shared storage).',
    manual: "confirm Better Auth's own failed-login limit in the application configuration",
  },
  "CORS configured appropriately (if needed)": {
    components: [C.edge],
    manual:
      "not needed: both apps are served from one origin (agent under /agent), so no cross-origin API exists; the load balancer sets no CORS headers. Revisit if a second origin is added",
  },
  // Database
  "Database migrations run successfully": {
    components: [C.task],
    tests: [T.compute, "scripts/lib/migrate/runner.test.ts"],
    note: "`npm run migrate` runs the migration task (DATABASE_URL_MIGRATE, its own secret) and exits non-zero when it fails; deploys run it before the services roll.",
  },
  "Database user privileges verified (limited for app, admin only for migrations)": {
    components: [C.dbUsers],
    tests: [T.users, T.verifyDb],
    verifier: ["verify-db:grants.scope", "verify-db:probe.ddl-refused", "verify-db:probe.migrate-ddl"],
  },
  "Database backups configured and tested": {
    components: [C.backup, C.database],
    tests: [T.backup, T.database],
    docs: ["docs/runbooks/restore-database.md"],
    note: "AWS Backup restore testing restores the latest recovery point on a schedule; the restore runbook covers a manual drill.",
  },
  "Database connection uses TLS/SSL": {
    components: [C.database, C.dbUsers, C.secrets],
    tests: [T.database, T.users],
    verifier: ["verify-db:tls.plaintext-refused", "verify-db:account.require-ssl", "verify-db:tls.connection"],
  },
  "Remote root login disabled": {
    components: [C.database, C.dbAdmin, C.network],
    tests: [T.database, T.network],
    note: "RDS has no `root` account; the master user is reachable only inside the isolated database subnets (no public endpoint, no internet route), through the SSM-only admin host.",
  },
  // Application
  "Build succeeds without errors (`bun run build`)": { manual: APP_REPO },
  "Type checking passes (`bun run type-check`)": { manual: APP_REPO },
  "Linting passes (`bun run lint`)": { manual: APP_REPO },
  "Error boundaries tested": { manual: APP_REPO },
  "Authentication flow tested (login, logout, session expiry)": { manual: APP_REPO },
  "Cross-app navigation tested (frontend ↔ agent)": {
    components: [C.alb],
    tests: [T.edge],
    verifier: ["verify-edge:http.status"],
    manual: "navigation itself is an application test; the infrastructure routes /agent and /agent/* to the agent on the same host",
  },
  "Static assets served correctly": {
    components: [C.alb, C.cloudflare],
    verifier: ["verify-edge:http.status"],
    manual: "asset paths (_next/static) are built by the apps; check a page loads without 404s after each release",
  },
  "Cookies shared correctly between apps": {
    components: [C.alb],
    tests: [T.edge],
    manual: "same host for both apps makes Better Auth's cookie shared; confirm a session started on / is valid under /agent",
  },
  // Infrastructure
  "Reverse proxy configured and tested": {
    components: [C.alb, C.cloudflare],
    tests: [T.edge],
    verifier: ["verify-edge:http.status", "verify-edge:headers.version-leak"],
  },
  "HTTP → HTTPS redirect working": { components: [C.alb], tests: [T.edge], verifier: ["verify-edge:redirect.http-to-https"] },
  "SSL/TLS certificate valid and auto-renewing": {
    components: [C.certificate, C.observability],
    tests: [T.edge, T.observability],
    verifier: ["verify-edge:tls.certificate", "verify-edge:tls.certificate-expiry"],
    docs: ["docs/runbooks/certificate-expiry.md"],
    note: "ACM renews DNS-validated certificates while the validation record exists; an alarm on DaysToExpiry pages before expiry.",
  },
  "Server firewall configured (allow 80, 443; block 3000, 3001)": { components: [C.network, C.service], tests: [T.network, T.compute] },
  "Load balancer configured (if using)": { components: [C.alb, C.albLogs], tests: [T.edge] },
  "CDN configured for static assets (optional)": {
    components: [C.cloudflare],
    tests: [T.edge],
    note: "Optional: with catalyst:cloudflareProxied the Cloudflare proxy fronts the load balancer and caches static assets.",
  },
  // Monitoring
  "Error logging configured": { components: [C.compute, C.observability], tests: [T.compute, T.observability], docs: ["docs/runbooks/server-errors.md"] },
  "Application logs aggregated": { components: [C.compute, C.observability], tests: [T.compute, T.observability] },
  "Uptime monitoring enabled": { components: [C.observability], tests: [T.observability], docs: ["docs/runbooks/site-down.md"] },
  "Performance monitoring configured": { components: [C.observability, C.database], tests: [T.observability], docs: ["docs/runbooks/latency.md"] },
  "Database monitoring enabled": { components: [C.observability, C.database], tests: [T.observability, T.database], docs: ["docs/runbooks/database.md"] },
  "Alert notifications configured": { components: [C.oncall, C.observability], tests: [T.observability] },
  // Post-deployment
  "Test all critical user flows": { manual: "sign-up, sign-in, sign-out and the agent after each release: needs a browser session against production" },
  "Verify error reporting is working": { manual: "trigger a test error in each app and see it arrive in the error-reporting service" },
  "Check logs for unexpected errors": {
    components: [C.observability],
    docs: ["docs/runbooks/server-errors.md"],
    manual: "read the first hour of logs after a release (CloudWatch Logs Insights queries in the runbook)",
  },
  "Monitor performance metrics": { components: [C.observability], docs: ["docs/runbooks/latency.md"], manual: "watch the on-call dashboard after a release" },
  "Review security headers (use [securityheaders.com](https://securityheaders.com/))": {
    verifier: [
      "verify-edge:headers.hsts",
      "verify-edge:headers.csp",
      "verify-edge:headers.x-frame-options",
      "verify-edge:headers.referrer-policy",
      "verify-edge:headers.permissions-policy",
    ],
    tests: [T.verifyEdge],
  },
  "Test SSL configuration (use [ssllabs.com](https://www.ssllabs.com/ssltest/))": {
    verifier: ["verify-edge:tls.version-*", "verify-edge:tls.certificate"],
    tests: [T.verifyEdge],
  },
  // Requirements outside the checklist that the infrastructure answers beyond its policies
  "Security Headers › Referrer-Policy and Permissions-Policy (headers an ALB cannot set)": {
    components: [C.cloudflare],
    tests: [T.edge],
    verifier: ["verify-edge:headers.referrer-policy", "verify-edge:headers.permissions-policy"],
    note: "Set by a Cloudflare response-header transform rule, which applies to proxied records only.",
  },
  "Uptime monitoring › Frontend home, agent home and auth API health": { components: [C.observability], tests: [T.observability] },
  "Security Incident Response › Rotate all secrets and invalidate all sessions": {
    docs: ["docs/runbooks/security-incident.md", "docs/runbooks/rotate-secrets.md", "docs/runbooks/invalidate-sessions.md"],
    manual: "an incident procedure for people, written down as runbooks",
  },
  "Regular Security Maintenance › Review user access and permissions": {
    components: ["infra/delivery/githubOidcRoles.ts#GithubOidcRoles", C.secretAccess],
    tests: ["stacks/delivery.test.ts", "infra/delivery/githubOidcRoles.test.ts"],
    note: "Every stack role carries the workload boundary under the stack's IAM path; the CI deploy role manages only those, passes them only to the services that use them, and is the only principal (with catalyst:secretAdminArns) admitted to the app secrets.",
    manual:
      "who may approve the production environment, who is listed in catalyst:secretAdminArns and who can assume the bootstrap's roles is a person's quarterly review",
  },
};
