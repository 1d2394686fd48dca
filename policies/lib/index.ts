export * from "./policy";
export * from "./preview";
export * from "./requirements";
export * from "./resources";
