import { compliantIf, type ComplianceRule } from "../rule";
import { internetInboundAllows, NSG_TYPES } from "../nsg-rules";

/** An NSG allows RDP (3389) from the Internet. */
export const NsgRdpRestricted: ComplianceRule = {
  id: "CKV_AZURE_9",
  info: "An NSG allows RDP (3389) from the Internet.",
  explanation: "Remote administration ports must never face the Internet. Remove the rule or restrict its source.",
  control: "CC6.6",
  resourceTypes: NSG_TYPES,
  check: (r) => {
    return compliantIf(internetInboundAllows(r, ["tcp", "*"], 3389).length === 0);
  },
};
