/**
 * A seeded generator of realistic labelled documents — prose, log lines, CSV and JSON — with
 * planted sensitive values of every built-in type (their spans recorded) and decoys.
 */
import type { DetectorId } from "../../runtime/core/policy-model/schema";
import { Random } from "./random";
import * as v from "./sensitive-values";

export interface Planted {
  start: number;
  end: number;
  type: DetectorId;
}
export interface LabelledDocument {
  kind: "prose" | "log" | "csv" | "json";
  text: string;
  planted: Planted[];
}

class Builder {
  text = "";
  planted: Planted[] = [];
  add(s: string): this {
    this.text += s;
    return this;
  }
  plant(type: DetectorId, value: string): this {
    this.planted.push({ start: this.text.length, end: this.text.length + value.length, type });
    this.text += value;
    return this;
  }
}

/** A sentence template for each type: [before, value, after], with the context real text has. */
function sentence(r: Random, b: Builder, type: DetectorId): Builder {
  const say = (before: string, value: string, after = "."): Builder => b.add(before).plant(type, value).add(after);
  switch (type) {
    case "credit_card":
      return say(
        r.pick(["The customer paid with card ", "Card on file: ", "Charged ", "PAN "]),
        v.creditCard(r),
        r.pick([".", " yesterday.", ", approved."]),
      );
    case "us_ssn":
      return r.chance(0.85)
        ? say(r.pick(["SSN ", "Social security number: ", "Their SSN is ", "ID: ", "SSN#", "ssn="]), v.usSsn(r))
        : say(r.pick(["SSN: ", "ssn=", "Social Security No. "]), v.usSsn(r, false));
    case "iban":
      return say(r.pick(["Please wire the refund to IBAN ", "Account: ", "Beneficiary IBAN: "]), v.iban(r));
    case "email":
      return say(
        r.pick(["Contact ", "Reply to <", "Sent by ", "Owner: "]),
        v.email(r),
        r.pick([" for details.", ">", ".", " today."]),
      );
    case "phone":
      return say(
        r.pick(["Call ", "Phone: ", "Reach the on-call engineer at ", "tel "]),
        v.phone(r),
        r.pick([".", " after 5pm.", ", ext. 12"]),
      );
    case "jwt":
      return say(
        r.pick(["Authorization: Bearer ", "id_token=", "The session token ", "jwt: "]),
        v.jwt(r),
        r.pick([" was rejected.", "", " expired."]),
      );
    case "aws_access_key":
      return say(r.pick(["aws_access_key_id = ", "Access key ", "AWS key id: "]), v.awsAccessKey(r));
    case "aws_secret_key":
      return say(
        r.pick(["aws_secret_access_key = ", "export AWS_SECRET_ACCESS_KEY=", "The AWS secret is "]),
        v.awsSecretKey(r),
        r.pick([".", "", " (rotated)"]),
      );
    case "azure_storage_key":
      return say(
        r.pick(["Storage key: ", "primary key ", "key1 = "]),
        v.azureStorageKey(r),
        r.pick([" ", " was rotated.", ""]),
      );
    case "azure_connection_string":
      return say(
        r.pick(["Connection: ", "AZURE_STORAGE_CONNECTION_STRING=", "use "]),
        v.azureConnectionString(r),
        r.pick([" ", "\n"]),
      );
    case "azure_sas": {
      b.add(
        `Download https://${r.pick(["acct", "prodlogs", "backup01"])}.blob.core.windows.net/${r.pick(["exports", "audit"])}/file.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-01-01T00:00:00Z&sig=`,
      );
      return say("", v.azureSasSignature(r), r.pick([" now.", "&spr=https today."]));
    }
    case "pem_private_key":
      return say("Here is the key:\n", v.pemPrivateKey(r), "\nKeep it safe.");
    case "github_token":
      return say(r.pick(["GITHUB_TOKEN=", "Use token ", "gh auth with "]), v.githubToken(r));
    case "slack_token":
      return say(r.pick(["SLACK_BOT_TOKEN=", "Slack token ", "bot: "]), v.slackToken(r));
    case "secret_field": {
      const key = r.pick(v.SECRET_KEYS);
      if (r.chance(0.3)) return say(`"${key}": "`, v.secretValue(r), '", ');
      return say(r.pick([`${key}=`, `${key}: `, `${key} = `]), v.secretValue(r), r.pick([" ", "; ", ", then "]));
    }
  }
}

const FILLER = [
  "The deployment finished without errors.",
  "Please review the attached report before Friday.",
  "Latency stayed under the target for the quarter.",
  "We rotated the certificates on schedule.",
  "The build took 4 minutes on the new runners.",
  "No action is needed from the customer.",
  "Retry count was 3 with backoff.",
  "See the runbook, section 2.1, for the procedure.",
  "Version 2.14.3 fixed the regression.",
];

function decoySentence(r: Random, b: Builder): void {
  b.add(
    r.pick([
      "Reference ",
      "Build ",
      "Commit ",
      "Order ",
      "Timestamp ",
      "Host ",
      "Tracking number ",
      "Digest ",
      "Request id ",
    ]),
  )
    .add(v.decoy(r))
    .add(r.pick([".", " logged.", " ok."]));
}

const TYPES: DetectorId[] = [
  "credit_card",
  "us_ssn",
  "iban",
  "email",
  "phone",
  "jwt",
  "aws_access_key",
  "aws_secret_key",
  "azure_storage_key",
  "azure_connection_string",
  "azure_sas",
  "pem_private_key",
  "github_token",
  "slack_token",
  "secret_field",
];

function prose(r: Random): LabelledDocument {
  const b = new Builder();
  for (let k = 0; k < 14; k++) {
    const roll = r.next();
    if (roll < 0.45) sentence(r, b, r.pick(TYPES));
    else if (roll < 0.75) decoySentence(r, b);
    else b.add(r.pick(FILLER));
    b.add(r.chance(0.2) ? "\n\n" : " ");
  }
  return { kind: "prose", text: b.text, planted: b.planted };
}

function log(r: Random): LabelledDocument {
  const b = new Builder();
  for (let k = 0; k < 16; k++) {
    const two = (lo: number, hi: number) => String(r.int(lo, hi)).padStart(2, "0");
    b.add(
      `2025-${two(1, 12)}-${two(1, 28)}T${two(0, 23)}:${two(0, 59)}:${two(0, 59)}.${r.digits(3)}Z ${r.pick(["INFO", "WARN", "ERROR", "DEBUG"])} [${r.pick(["api", "worker", "auth", "billing"])}] req=${v.decoy(r).replace(/ /g, "_")} `,
    );
    if (r.chance(0.5)) sentence(r, b, r.pick(TYPES));
    else
      b.add(
        `latency_ms=${r.int(1, 900)} status=${r.pick([200, 201, 404, 500])} host=${r.int(10, 250)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
      );
    b.add("\n");
  }
  return { kind: "log", text: b.text, planted: b.planted };
}

function csv(r: Random): LabelledDocument {
  const b = new Builder().add("id,name,email,phone,card,iban,ssn,created,amount,ref\n");
  for (let k = 0; k < 12; k++) {
    b.add(`${r.int(1, 99999)},${r.pick(["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"])},`);
    b.plant("email", v.email(r)).add(",");
    b.plant("phone", v.phone(r)).add(",");
    b.plant("credit_card", v.creditCard(r)).add(",");
    b.plant("iban", v.iban(r)).add(",");
    b.plant("us_ssn", v.usSsn(r)).add(",");
    b.add(`2025-0${r.int(1, 9)}-1${r.int(0, 9)},${r.int(1, 9999)}.${r.digits(2)},${v.decoy(r).replace(/,/g, ";")}\n`);
  }
  return { kind: "csv", text: b.text, planted: b.planted };
}

function json(r: Random): LabelledDocument {
  const b = new Builder().add("{\n");
  const str = (key: string) => b.add(`  "${key}": "`);
  for (let k = 0; k < 10; k++) {
    const type = r.pick(TYPES);
    const keyFor: Partial<Record<DetectorId, string>> = {
      credit_card: "card_number",
      us_ssn: "ssn",
      iban: "iban",
      email: "email",
      phone: "phone",
      jwt: "id_token",
      aws_access_key: "aws_access_key_id",
      aws_secret_key: "aws_secret_access_key",
      azure_storage_key: "storage_key",
      azure_connection_string: "storage_connection",
      azure_sas: "download_url",
      pem_private_key: "tls_key",
      github_token: "github_token",
      slack_token: "slack_webhook_token",
    };
    if (type === "secret_field") {
      str(r.pick(v.SECRET_KEYS)).plant("secret_field", v.secretValue(r)).add('",\n');
    } else if (type === "azure_sas") {
      str("download_url")
        .add("https://acct.blob.core.windows.net/c/f.json?sv=2022-11-02&sr=b&sp=r&sig=")
        .plant("azure_sas", v.azureSasSignature(r))
        .add('",\n');
    } else if (type === "pem_private_key") {
      str("tls_key").plant("pem_private_key", v.pemPrivateKey(r, "\\n")).add('",\n');
    } else if (type === "us_ssn") {
      str("ssn")
        .plant("us_ssn", v.usSsn(r, r.chance(0.7)))
        .add('",\n');
    } else {
      const gen: Record<string, (r: Random) => string> = {
        credit_card: v.creditCard,
        iban: v.iban,
        email: v.email,
        phone: v.phone,
        jwt: v.jwt,
        aws_access_key: v.awsAccessKey,
        aws_secret_key: v.awsSecretKey,
        azure_storage_key: v.azureStorageKey,
        azure_connection_string: v.azureConnectionString,
        github_token: v.githubToken,
        slack_token: v.slackToken,
      };
      str(keyFor[type]!).plant(type, gen[type](r)).add('",\n');
    }
    b.add(
      `  "${r.pick(["version", "commit", "requestId", "createdAt", "orderNumber", "checksum", "host"])}": "${v.decoy(r)}",\n`,
    );
  }
  b.add(`  "count": ${r.int(0, 1000)}\n}`);
  return { kind: "json", text: b.text, planted: b.planted };
}

/** `count` documents of the four kinds, reproducible from `seed`. */
export function generateDocuments(seed: number, count: number): LabelledDocument[] {
  const r = new Random(seed);
  const makers = [prose, log, csv, json];
  return Array.from({ length: count }, (_, k) => makers[k % makers.length](r));
}

export const BUILT_IN_TYPES = TYPES;
