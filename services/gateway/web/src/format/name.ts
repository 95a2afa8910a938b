// A person's name as shown everywhere; a contact may have neither part.
export function personName(person: { first_name: string; last_name: string }): string {
  return `${person.first_name} ${person.last_name}`.trim() || "(no name)";
}
