export * from "./alarms";
export * from "./dashboard";
export * from "./notifications";
export * from "./observability";
export * from "./runbooks";
export * from "./specs";
export * from "./uptime";
