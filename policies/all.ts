// Every policy of the pack, in one list shared by policies/index.ts, the tests and the checklist
// generator. Importing this module does not start the analyzer (only index.ts does).
import { Policy } from "@pulumi/policy";
import { alarmHasActions } from "./alarm-has-actions";
import { albContentSecurityPolicy } from "./alb-content-security-policy";
import { albHardening } from "./alb-hardening";
import { albHttpListenerRulesRedirectOnly } from "./alb-http-listener-rules-redirect-only";
import { albHttpRedirectsToHttps } from "./alb-http-redirects-to-https";
import { albHttpsTlsPolicy } from "./alb-https-tls-policy";
import { albSecurityHeaders } from "./alb-security-headers";
import { defaultSecurityGroupClosed } from "./default-security-group-closed";
import { ecsNoPublicIp } from "./ecs-no-public-ip";
import { ecsNonRootUser } from "./ecs-non-root-user";
import { ecsNotPrivileged } from "./ecs-not-privileged";
import { ecsReadOnlyRoot } from "./ecs-read-only-root";
import { ecsSecretsValueFrom } from "./ecs-secrets-value-from";
import { iamRolePermissionsBoundary } from "./iam-role-permissions-boundary";
import { logGroupKmsEncrypted } from "./log-group-kms-encrypted";
import { logGroupRetention } from "./log-group-retention";
import { mysqlGrantNoGlobal } from "./mysql-grant-no-global";
import { mysqlGrantNoGrantOption } from "./mysql-grant-no-grant-option";
import { mysqlRuntimeGrantDmlOnly } from "./mysql-runtime-grant-dml-only";
import { mysqlUserRequireSsl } from "./mysql-user-require-ssl";
import { noPlaintextSecretOutputs } from "./no-plaintext-secret-outputs";
import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { rdsBackupRetention } from "./rds-backup-retention";
import { rdsDeletionProtection } from "./rds-deletion-protection";
import { rdsIsolatedSubnets } from "./rds-isolated-subnets";
import { rdsModernCa } from "./rds-modern-ca";
import { rdsNotPublic } from "./rds-not-public";
import { rdsRequireSecureTransport } from "./rds-require-secure-transport";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { secretsRecoveryWindow } from "./secrets-recovery-window";
import { securityGroupDescriptions } from "./security-group-descriptions";
import { securityGroupNoPublicIngress } from "./security-group-no-public-ingress";
import { securityGroupPublicIngressLoadBalancerOnly } from "./security-group-public-ingress-load-balancer-only";
import { statefulResourcesProtected } from "./stateful-resources-protected";
import { vpcDefaultSecurityGroupManaged } from "./vpc-default-security-group-managed";
import { wafAlbAssociation } from "./waf-alb-association";
import { wafAuthRateRule } from "./waf-auth-rate-rule";

export const allPolicies: Policy[] = [
  // Data: RDS and MySQL
  rdsNotPublic,
  rdsStorageEncrypted,
  rdsIsolatedSubnets,
  rdsBackupRetention,
  rdsDeletionProtection,
  rdsRequireSecureTransport,
  rdsModernCa,
  mysqlUserRequireSsl,
  mysqlGrantNoGlobal,
  mysqlGrantNoGrantOption,
  mysqlRuntimeGrantDmlOnly,
  // Secrets and state
  noPlaintextSecrets,
  noPlaintextSecretOutputs,
  secretsRecoveryWindow,
  statefulResourcesProtected,
  // Edge: load balancer listeners and WAF
  albHttpsTlsPolicy,
  albHttpRedirectsToHttps,
  albHttpListenerRulesRedirectOnly,
  albSecurityHeaders,
  albContentSecurityPolicy,
  albHardening,
  wafAuthRateRule,
  wafAlbAssociation,
  // Network: security groups
  securityGroupNoPublicIngress,
  securityGroupPublicIngressLoadBalancerOnly,
  securityGroupDescriptions,
  defaultSecurityGroupClosed,
  vpcDefaultSecurityGroupManaged,
  // Compute: ECS
  ecsNoPublicIp,
  ecsReadOnlyRoot,
  ecsNonRootUser,
  ecsNotPrivileged,
  ecsSecretsValueFrom,
  // Identity: IAM
  iamRolePermissionsBoundary,
  // Monitoring
  alarmHasActions,
  logGroupRetention,
  logGroupKmsEncrypted,
];
