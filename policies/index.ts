export { buildDeclaredBundle } from "./org";
