import { DETECTOR_IDS, type DetectorId } from "../../runtime/core/policy-model/schema";

/** The masking engine's built-in detectors, by name. */
export const Detector = {
  /** Card numbers of the common brands, Luhn-checked. */
  CREDIT_CARD: "credit_card",
  US_SSN: "us_ssn",
  /** IBANs, mod-97 checked. */
  IBAN: "iban",
  EMAIL: "email",
  PHONE: "phone",
  JWT: "jwt",
  AWS_ACCESS_KEY: "aws_access_key",
  AWS_SECRET_KEY: "aws_secret_key",
  AZURE_STORAGE_KEY: "azure_storage_key",
  AZURE_CONNECTION_STRING: "azure_connection_string",
  AZURE_SAS: "azure_sas",
  PEM_PRIVATE_KEY: "pem_private_key",
  GITHUB_TOKEN: "github_token",
  SLACK_TOKEN: "slack_token",
  /** Values of JSON fields whose names say secret (password, secret, token, apiKey, ...). */
  SECRET_FIELD: "secret_field",
} as const satisfies Record<string, DetectorId>;

export function isDetector(id: string): id is DetectorId {
  return (DETECTOR_IDS as readonly string[]).includes(id);
}
