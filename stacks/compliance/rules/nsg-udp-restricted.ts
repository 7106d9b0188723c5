import { compliantIf, type ComplianceRule } from "../rule";
import { internetInboundAllows, NSG_TYPES } from "../nsg-rules";

/** An NSG allows UDP from the Internet. */
export const NsgUdpRestricted: ComplianceRule = {
  id: "CKV_AZURE_77",
  info: "An NSG allows UDP from the Internet.",
  explanation: "No Gatehouse service listens on UDP; UDP from the Internet is only attack surface. Remove the rule.",
  control: "CC6.6",
  resourceTypes: NSG_TYPES,
  check: (r) => {
    return compliantIf(internetInboundAllows(r, ["udp", "*"]).length === 0);
  },
};
