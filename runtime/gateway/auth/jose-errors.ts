/** jose's errors as Gatehouse codes: an expired token is ERR_AUTH_EXPIRED, any other JOSE failure ERR_AUTH_INVALID. */
import { errors as joseErrors } from "jose";
import { GatehouseError } from "../../core/errors";

export function mapJoseError(e: unknown): GatehouseError {
  if (e instanceof GatehouseError) return e;
  if (e instanceof joseErrors.JWTExpired) return new GatehouseError("ERR_AUTH_EXPIRED", "the token has expired");
  if (e instanceof joseErrors.JOSEError)
    return new GatehouseError("ERR_AUTH_INVALID", `the token is not valid (${e.code})`);
  return new GatehouseError("ERR_AUTH_INVALID", "the token is not valid");
}
