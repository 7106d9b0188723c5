export * from "./log-schema";
export * from "./auditor-queries";
export * from "./alert-queries";
export * from "./auditor-workbook";
