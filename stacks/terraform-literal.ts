/**
 * Terraform reads `${` and `%{` in any string as a template. Content that must arrive verbatim
 * (the policy bundle, KQL) is escaped (`$${`, `%%{`), so a policy message like "${HOME}" or a
 * regex cannot become an interpolation.
 */
export function terraformLiteral(text: string): string {
  // Function replacers: in a replacement string "$$" would itself mean "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
