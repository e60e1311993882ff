/**
 * Entry of the report page's script, bundled by esbuild into report.html: registers the dashboard
 * elements and hands them the analysis inlined in `<script type="application/json" id="sweep-data">`.
 */
import type { SweepAnalysis } from '@sweeplab/core';
import { defineElements, type SweepReport } from '@sweeplab/dashboard';

defineElements();
const data = document.getElementById('sweep-data')?.textContent ?? 'null';
const report = document.querySelector('sl-sweep-report') as SweepReport | null;
if (report) report.analysis = JSON.parse(data) as SweepAnalysis;
