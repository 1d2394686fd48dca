/**
 * The runbooks alarms link to. Every alarm description ends with one of these URLs, and a test fails
 * when a linked file is missing from docs/runbooks/, so a page never points an on-call engineer at a
 * dead link.
 */
export const RUNBOOKS = {
  siteDown: "site-down",
  loadBalancerErrors: "load-balancer-errors",
  targetHealth: "target-health",
  latency: "latency",
  ecsService: "ecs-service",
  database: "database",
  wafBlocks: "waf-blocks",
  certificateExpiry: "certificate-expiry",
  authFailures: "auth-failures",
  serverErrors: "server-errors",
  backupFailed: "backup-failed",
} as const;

export type Runbook = (typeof RUNBOOKS)[keyof typeof RUNBOOKS];

/** Incident-response runbooks (seed: Security Incident Response) that alarm runbooks link to. */
export const INCIDENT_RUNBOOKS = ["security-incident", "rotate-secrets", "invalidate-sessions", "block-ip", "restore-database"] as const;

export function runbookUrl(baseUrl: string, runbook: Runbook | "README"): string {
  return `${baseUrl.replace(/\/+$/, "")}/${runbook}.md`;
}

/** CloudWatch rejects alarm descriptions longer than this. */
export const MAX_DESCRIPTION_LENGTH = 1024;

/** "<what it means> <what to do first> Runbook: <url>" — the text an on-call engineer reads in the page. */
export function alarmDescription(meaning: string, baseUrl: string, runbook: Runbook): string {
  const text = `${meaning.trim()} Runbook: ${runbookUrl(baseUrl, runbook)}`;
  if (text.length > MAX_DESCRIPTION_LENGTH) throw new Error(`alarm description longer than ${MAX_DESCRIPTION_LENGTH} characters: ${text.slice(0, 80)}...`);
  return text;
}
