// Preloaded into a server process by a test: SIGUSR2 makes a promise reject with nobody handling it.
process.on('SIGUSR2', () => {
  Promise.reject(new Error('a rejection nobody handles'));
});
