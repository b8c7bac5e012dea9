// Pure helpers for the todo list: each returns a new array and never
// mutates its input, so the page can compare old and new state safely.

let lastId = 0;

function nextId() {
  const now = Date.now();
  lastId = now > lastId ? now : lastId + 1;
  return lastId;
}

function addTodo(todos, title) {
  const text = String(title || '').trim();
  if (!text) {
    return todos;
  }
  return todos.concat([{ id: nextId(), title: text, done: false }]);
}

function toggle(todos, index) {
  return todos.map((todo, i) => (i === index ? { ...todo, done: !todo.done } : todo));
}

function remove(todos, index) {
  return todos.filter((_, i) => i !== index);
}

function clearCompleted(todos) {
  return todos.filter((todo) => !todo.done);
}

function countLeft(todos) {
  return todos.reduce((n, todo) => (todo.done ? n : n + 1), 0);
}

function normalize(value) {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter((t) => t && typeof t.title === 'string')
    .map((t) => ({ id: t.id || nextId(), title: t.title, done: Boolean(t.done) }));
}

module.exports = {
  addTodo,
  toggle,
  remove,
  clearCompleted,
  countLeft,
  normalize
};
