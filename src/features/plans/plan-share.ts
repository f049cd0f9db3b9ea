import type { Lang } from '../content';
import type { PlansService } from './plans.service';
import { planView, type ShownField } from './plans.view-models';

/**
 * A learner's plan, or one step of it, as Markdown to post for peers' comments (the cohort
 * discussion). Only steps the learner has started are offered.
 */
export function planSharing(plans: PlansService) {
  const fieldText = (f: ShownField): string[] => {
    if (f.type === 'choice') return f.items.length ? [`**${f.label}**`, ...f.items.map((i) => `- ${i}`), ''] : [];
    if (f.type === 'table') return f.rows.length ? [`**${f.label}**`, ...f.rows.map((r) => `- ${r.filter(Boolean).join(' · ')}`), ''] : [];
    return f.text ? [`**${f.label}**`, f.text, ''] : [];
  };
  async function steps(userId: string, lng: Lang) {
    const plan = await plans.planOf(userId);
    if (!plan) return [];
    return planView(plan, lng).parts.filter((p) => p.started).flatMap((p) => p.steps.map((s) => ({ key: s.key, title: `${p.title} — ${s.title}`, fields: s.fields })));
  }
  return {
    /** The steps a learner may share: `<moduleId>.<stepId>` and a title. */
    async steps(userId: string, lng: Lang): Promise<{ key: string; title: string }[]> {
      return (await steps(userId, lng)).map(({ key, title }) => ({ key, title }));
    },
    /** The whole plan (`step` empty) or one step as Markdown; undefined when there is nothing to share. */
    async markdown(userId: string, lng: Lang, step: string): Promise<string | undefined> {
      const chosen = (await steps(userId, lng)).filter((s) => !step || s.key === step);
      const text = chosen.flatMap((s) => [`**${s.title}**`, '', ...s.fields.flatMap(fieldText)]).join('\n').trim();
      return text || undefined;
    },
  };
}
export type PlanSharing = ReturnType<typeof planSharing>;
