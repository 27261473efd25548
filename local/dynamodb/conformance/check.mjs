// Reads vitest's JSON report of the conformance suite and holds it to the engine's bar: every
// tier 1 test and every transactions, streams and TTL test passes, and at least MIN_PASSED in all.
// Prints each area's score and every failing test; exits 1 below the bar.
//
//   node check.mjs results.json
import { readFileSync } from 'node:fs'

const MIN_PASSED = 560
const MUST_ALL_PASS = ['tier1', 'tier2/transactions', 'tier2/streams', 'tier2/ttl']

const file = process.argv[2]
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch (e) {
  console.error(`conformance: no readable report at ${file}: ${e.message}`)
  process.exit(1)
}

// The area of a test: its path below tests/ without the file, e.g. tier1/query or tier3/limits.
const areaOf = (path) => {
  const m = path.replace(/\\/g, '/').match(/\/tests\/(.+)\/[^/]+$/)
  return m ? m[1] : 'other'
}
const fileOf = (path) => path.replace(/\\/g, '/').replace(/^.*\/tests\//, '')

const tests = []
for (const result of report.testResults ?? []) {
  const area = areaOf(result.name)
  const assertions = result.assertionResults ?? []
  // A file that fails to load reports no tests at all; count it as one failure so it cannot pass by vanishing.
  if (assertions.length === 0 && result.status !== 'passed') {
    tests.push({ area, name: `${fileOf(result.name)} (file failed: ${(result.message || '').split('\n')[0]})`, passed: false })
  }
  for (const a of assertions) {
    tests.push({ area, name: `${fileOf(result.name)} > ${a.fullName}`, passed: a.status === 'passed', status: a.status })
  }
}

const byArea = new Map()
for (const t of tests) {
  if (!byArea.has(t.area)) byArea.set(t.area, [])
  byArea.get(t.area).push(t)
}

const inArea = (area, prefix) => area === prefix || area.startsWith(prefix + '/')
let ok = true
const passed = tests.filter((t) => t.passed).length
console.log('')
console.log('conformance by area (passed/total):')
for (const area of [...byArea.keys()].sort()) {
  const list = byArea.get(area)
  const p = list.filter((t) => t.passed).length
  const required = MUST_ALL_PASS.some((prefix) => inArea(area, prefix))
  const mark = p === list.length ? 'ok  ' : required ? 'FAIL' : '    '
  console.log(`  ${mark} ${area.padEnd(34)} ${String(p).padStart(4)}/${list.length}${required ? '  (all required)' : ''}`)
}
for (const tier of ['tier1', 'tier2', 'tier3']) {
  const list = tests.filter((t) => inArea(t.area, tier))
  console.log(`  ${tier}: ${list.filter((t) => t.passed).length}/${list.length}`)
}

const failing = tests.filter((t) => !t.passed)
if (failing.length > 0) {
  console.log('')
  console.log('failing tests:')
  for (const t of failing) console.log(`  ${t.status && t.status !== 'failed' ? `[${t.status}] ` : ''}${t.name}`)
}

console.log('')
for (const prefix of MUST_ALL_PASS) {
  const list = tests.filter((t) => inArea(t.area, prefix))
  const bad = list.filter((t) => !t.passed).length
  if (list.length === 0) {
    console.log(`BAR: no ${prefix} tests were reported`)
    ok = false
  } else if (bad > 0) {
    console.log(`BAR: ${bad} of ${list.length} ${prefix} tests do not pass; all must`)
    ok = false
  }
}
if (passed < MIN_PASSED) {
  console.log(`BAR: ${passed} tests pass; at least ${MIN_PASSED} must`)
  ok = false
}
console.log(`conformance: ${passed}/${tests.length} passed, ${ok ? 'meets' : 'BELOW'} the bar`)
process.exit(ok ? 0 : 1)
