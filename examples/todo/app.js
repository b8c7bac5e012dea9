App({
  onLaunch(options) {
    console.log('Todo launched', options && options.path);
    this.globalData.launchedAt = Date.now();
  },

  globalData: {
    storageKey: 'todos',
    launchedAt: 0
  }
});
