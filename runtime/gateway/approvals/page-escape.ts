/** HTML escaping for the approval page's server-rendered markup: every dynamic value goes through it. */
export const esc = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
