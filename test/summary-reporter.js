// Prints one closing line a CI log reader understands: "tests: N passed, N failed, N skipped".
// Jest's own summary stays; this adds the plain form at the very end of the run.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
