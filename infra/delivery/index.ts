export * from "./githubOidcRoles";
export * from "./iamDocuments";
export * from "./stateBackend";
