import type { Identity } from "../../core/identity";

// req.auth: the identity the auth middleware verified (Entra or JIT).
declare module "express-serve-static-core" {
  interface Request {
    auth?: Identity;
  }
}

export {};
