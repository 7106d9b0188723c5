import { compliantIf, type ComplianceRule } from "../rule";
import { internetInboundAllows, NSG_TYPES } from "../nsg-rules";

/** An NSG allows HTTP (80) from the Internet. */
export const NsgHttpRestricted: ComplianceRule = {
  id: "CKV_AZURE_160",
  info: "An NSG allows HTTP (80) from the Internet.",
  explanation: "Gatehouse is HTTPS only; plain HTTP from the Internet must not reach anything. Remove the rule.",
  control: "CC6.7",
  resourceTypes: NSG_TYPES,
  check: (r) => {
    return compliantIf(internetInboundAllows(r, ["tcp", "*"], 80).length === 0);
  },
};
