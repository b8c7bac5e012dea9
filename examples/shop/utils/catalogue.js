export const CATALOGUE = [
  { id: 'tea', name: 'Green tea', cents: 450 },
  { id: 'bun', name: 'Steamed bun', cents: 300 }
];

export function find(id) {
  return CATALOGUE.find(p => p.id === id);
}

export default CATALOGUE;
