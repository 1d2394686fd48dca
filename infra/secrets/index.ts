export { AppSecrets, SECRET_KEYS, secretValueFrom } from "./appSecrets";
export type { AppSecretsArgs } from "./appSecrets";
export { allowedPrincipals, SecretAccessPolicy, secretAccessPolicyDocument } from "./secretAccessPolicy";
export type { SecretAccessPolicyArgs } from "./secretAccessPolicy";
export { dataKey, keyPolicy, keyPolicyContext } from "./kmsKey";
export { serviceRole, serviceTrustPolicy } from "./serviceRole";
