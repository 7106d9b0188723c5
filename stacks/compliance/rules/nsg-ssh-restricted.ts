import { compliantIf, type ComplianceRule } from "../rule";
import { internetInboundAllows, NSG_TYPES } from "../nsg-rules";

/** An NSG allows SSH (22) from the Internet. */
export const NsgSshRestricted: ComplianceRule = {
  id: "CKV_AZURE_10",
  info: "An NSG allows SSH (22) from the Internet.",
  explanation: "Remote administration ports must never face the Internet. Remove the rule or restrict its source.",
  control: "CC6.6",
  resourceTypes: NSG_TYPES,
  check: (r) => {
    return compliantIf(internetInboundAllows(r, ["tcp", "*"], 22).length === 0);
  },
};
