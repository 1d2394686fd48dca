import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "./alarms";
import { RUNBOOKS } from "./runbooks";
import { AppName } from "./specs";

/**
 * Route 53 publishes health-check metrics only in us-east-1, so uptime alarms (and the composite that
 * pages for them) live there whatever the stack's region.
 */
export const UPTIME_REGION = "us-east-1";

export interface UptimeCheck {
  id: string;
  path: string;
  /** The app whose "no healthy target" alarm this check makes redundant (its path fails when the app has no target). */
  covers?: AppName;
}

/** The seed's uptime list: frontend home, agent home, auth API health. */
export const UPTIME_CHECKS: readonly UptimeCheck[] = [
  { id: "frontend", path: "/", covers: "frontend" },
  { id: "agent", path: "/agent", covers: "agent" },
  { id: "auth-health", path: "/api/auth/health" },
];

export const UPTIME_REQUEST_INTERVAL_SECONDS = 30;
export const UPTIME_FAILURE_THRESHOLD = 3;

export function uptimeAlarmId(check: UptimeCheck): string {
  return `uptime-${check.id}`;
}

export function uptimeAlarm(check: UptimeCheck, domain: string, healthCheckId: pulumi.Input<string>): AlarmSpec {
  return {
    id: uptimeAlarmId(check),
    meaning: `https://${domain}${check.path} fails Route 53 health checks from several regions (no 2xx/3xx within 4 s, ${UPTIME_FAILURE_THRESHOLD} times in a row). Users cannot reach it. Pages through the site-down alarm.`,
    runbook: RUNBOOKS.siteDown,
    metric: { namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: healthCheckId }, statistic: "Minimum", period: 60 },
    comparison: "LessThanThreshold",
    threshold: 1,
    evaluationPeriods: 2,
    missingData: "breaching", // Route 53 reports every minute; silence is not proof of health
  };
}

export const SITE_DOWN_ID = "site-down";

export function siteDownMeaning(domain: string): string {
  return `SITE DOWN: https://${domain} is unreachable for users on at least one of ${UPTIME_CHECKS.map((c) => c.path).join(", ")} (Route 53 checks from several regions). An app without a healthy target fails its check, so this one alarm pages for the whole outage; its reason names the failing check. Check Cloudflare, the certificate, target health and the last deployment, in that order.`;
}
