/** The job summary and the step outputs of a rotation: key IDs (shortened in prose), never a secret. */
import type { RotationReport, TargetOutcome } from './context.js';
import { shortKey } from './plan.js';

/** Output names, in one place. */
export const RotateOutput = {
  NewAccessKeyId: 'new-access-key-id',
  OldAccessKeyId: 'old-access-key-id',
  Rotated: 'rotated',
} as const;

/** The step outputs: the new key ID only when the rotation completed. */
export function outputsOf(r: RotationReport): [string, string][] {
  return [
    [RotateOutput.NewAccessKeyId, r.rotated ? (r.newKeyId ?? '') : ''],
    [RotateOutput.OldAccessKeyId, r.oldKeyId],
    [RotateOutput.Rotated, String(r.rotated)],
  ];
}

const OUTCOME: Record<TargetOutcome, string> = {
  unchanged: 'unchanged (holds the old key)',
  planned: 'would get the new key',
  rotated: 'holds the new key',
  restored: 'restored to the old key',
  'not restored': '**restore failed: holds the new key**',
  mismatched: "**may hold a mismatched pair (one key's ID, the other's secret): fix by hand**",
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown for the job summary: the result, the keys, one row per target, and the failure. */
export function renderSummary(r: RotationReport): string {
  const result =
    r.error !== undefined
      ? 'failed'
      : r.dryRun && r.skipped === undefined
        ? 'dry run, nothing changed'
        : r.skipped !== undefined
          ? 'skipped'
          : 'rotated';
  const lines = [`### AWS access key rotation: ${result}`, ''];
  if (r.user) lines.push(`IAM user: \`${r.user.arn}\``, '');
  const oldState =
    r.oldKey === undefined
      ? ''
      : ` (${r.oldKey === 'inactive' ? 'Inactive' : r.oldKey === 'active' ? 'still Active' : 'deleted'})`;
  lines.push(`- Old key: \`${shortKey(r.oldKeyId)}\`${oldState}`);
  if (r.newKeyId !== undefined) lines.push(`- New key: \`${shortKey(r.newKeyId)}\``);
  if (r.secondKey)
    lines.push(
      `- Second key \`${shortKey(r.secondKey.id)}\` (${r.secondKey.status}): ${r.secondKey.outcome}`,
    );
  if (r.skipped !== undefined) lines.push(`- Skipped: ${cell(r.skipped)}`);
  lines.push('', '| Target | Result |', '| --- | --- |');
  for (const t of r.targets)
    lines.push(
      `| \`${cell(t.label)}\` | ${OUTCOME[t.outcome]}${t.note === undefined ? '' : ` (${cell(t.note)})`} |`,
    );
  if (r.dryRun && r.plan.length > 0)
    lines.push('', 'Plan:', '', ...r.plan.map((p) => `1. ${cell(p)}`));
  if (r.error !== undefined) lines.push('', `**Error:** ${cell(r.error)}`);
  return `${lines.join('\n')}\n`;
}
