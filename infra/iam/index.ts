export { checkIamSettings, pathIamProps, roleIamProps } from "./settings";
export type { IamSettings } from "./settings";
