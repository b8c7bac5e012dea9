const { addTodo, toggle, remove, clearCompleted, countLeft, normalize } = require('../../utils/todos');

const STORAGE_KEY = 'todos';

Page({
  data: {
    todos: [],
    draft: '',
    left: 0
  },

  onLoad() {
    const todos = normalize(wx.getStorageSync(STORAGE_KEY));
    this.setData({ todos, left: countLeft(todos) });
  },

  onInput(e) {
    this.setData({ draft: e.detail.value });
  },

  onAdd() {
    const todos = addTodo(this.data.todos, this.data.draft);
    if (todos === this.data.todos) {
      wx.showToast({ title: 'Type something first', icon: 'none' });
      return;
    }
    this.setData({ todos, draft: '', left: countLeft(todos) });
    this.save(todos);
  },

  onToggle(e) {
    const index = Number(e.currentTarget.dataset.index);
    const todos = toggle(this.data.todos, index);
    this.setData({
      ['todos[' + index + '].done']: todos[index].done,
      left: countLeft(todos)
    });
    this.save(todos);
  },

  onDelete(e) {
    const index = Number(e.currentTarget.dataset.index);
    const todos = remove(this.data.todos, index);
    this.setData({ todos, left: countLeft(todos) });
    this.save(todos);
  },

  onClearCompleted() {
    const todos = clearCompleted(this.data.todos);
    this.setData({ todos, left: countLeft(todos) });
    this.save(todos);
  },

  onAbout() {
    wx.navigateTo({ url: '/pages/about/about' });
  },

  save(todos) {
    try {
      wx.setStorageSync(STORAGE_KEY, todos);
    } catch (err) {
      console.error('Could not save todos', err);
      wx.showToast({ title: 'Could not save', icon: 'none' });
    }
  }
});
