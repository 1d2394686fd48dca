export * from "./appService";
export * from "./compute";
export * from "./containerSpec";
export * from "./fargateTask";
export * from "./iamDocuments";
export * from "./imageRef";
