import type { Detector } from "../detector";
import { awsAccessKey } from "./aws-access-key";
import { awsSecretKey } from "./aws-secret-key";
import { azureConnectionString } from "./azure-connection-string";
import { azureSas } from "./azure-sas";
import { azureStorageKey } from "./azure-storage-key";
import { creditCard } from "./credit-card";
import { email } from "./email";
import { githubToken } from "./github-token";
import { iban } from "./iban";
import { jwt } from "./jwt";
import { pemPrivateKey } from "./pem-private-key";
import { phone } from "./phone";
import { secretField } from "./secret-field";
import { slackToken } from "./slack-token";
import { usSsn } from "./us-ssn";

/**
 * The built-in catalogue, in dispatch priority: where two detectors share a trigger character
 * the earlier one is tried first (specific and validated before generic).
 */
export const BUILT_IN_DETECTORS: readonly Detector[] = [
  pemPrivateKey,
  azureConnectionString,
  azureSas,
  jwt,
  githubToken,
  slackToken,
  awsAccessKey,
  creditCard,
  iban,
  usSsn,
  phone,
  email,
  azureStorageKey,
  awsSecretKey,
  secretField,
];
