/**
 * Issues an Open Badges 3.0 credential when a learner first completes a training-path module, and
 * one for the whole path when its last module completes. Plugged in as an `onModuleCompleted` hook.
 */
import { desc, eq } from "drizzle-orm";
import type { AppDeps } from "../app.js";
import { issueModuleBadge } from "../core/badges/index.js";
import { masteryBySkill, type PathModule, type TrainingPath } from "../core/practice/index.js";
import { getLearner } from "../db/learners.js";
import { attempts, moduleCompletions } from "../db/schema/index.js";
import type { ModuleCompletedEvent } from "./practice.js";

/** Half an hour per case plus the reading, unless the path states the workload. */
function workloadOf(m: PathModule): number {
  return m.workload_hours ?? Math.max(1, Math.round((m.cases.length * 0.5 + m.reading.length * 0.25) * 2) / 2);
}

function criteriaOf(m: PathModule): string {
  return (
    m.criteria ??
    `Read the module's ${m.reading.length} source passages and answer its ${m.cases.length} graded practice cases until the estimated mastery of ${m.skills.join(", ")} reaches ${Math.round(m.mastery_threshold * 100)}%.`
  );
}

export function badgeOnModuleCompletion(deps: AppDeps) {
  return async (event: ModuleCompletedEvent): Promise<void> => {
    const path: TrainingPath | undefined = deps.practice?.().paths.find((p) => p.id === event.pathId);
    const module = path?.modules.find((m) => m.id === event.moduleId);
    if (!path || !module) return;
    const learner = await getLearner(deps.db, event.learnerId);
    const history = await deps.db.select().from(attempts).where(eq(attempts.learnerId, event.learnerId)).orderBy(desc(attempts.createdAt));
    const byCase = new Map<string, { score: number; maxScore: number }>();
    for (const a of history) {
      if (!module.cases.includes(a.scenarioId)) continue;
      const best = byCase.get(a.scenarioId);
      if (!best || a.score > best.score) byCase.set(a.scenarioId, { score: a.score, maxScore: a.maxScore });
    }
    const mastery = masteryBySkill(history.map((a) => ({ scenarioId: a.scenarioId, skill: a.skill as never, score: a.score, maxScore: a.maxScore, at: a.createdAt })));
    const masteryOf = (skills: string[]) => Object.fromEntries(skills.map((s) => [s, Math.round(((mastery as Record<string, { pL: number }>)[s]?.pL ?? 0) * 100) / 100]));
    const scenarios = new Map(deps.practice?.().scenarios.map((s) => [s.id, s.title]) ?? []);
    const casesPassed = [...byCase].map(([id, s]) => ({ id, title: scenarios.get(id), ...s }));
    await issueModuleBadge(
      deps,
      {
        learnerId: event.learnerId,
        learnerName: learner?.displayName,
        module: { id: `${path.id}/${module.id}`, title: module.title, description: module.description, skills: module.skills, workloadHours: workloadOf(module), criteria: criteriaOf(module) },
        evidence: { casesPassed, mastery: masteryOf(module.skills) },
      },
    );
    // The whole path: when every module is complete.
    const done = await deps.db.select({ moduleId: moduleCompletions.moduleId, pathId: moduleCompletions.pathId }).from(moduleCompletions).where(eq(moduleCompletions.learnerId, event.learnerId));
    const completed = new Set(done.filter((d) => d.pathId === path.id).map((d) => d.moduleId));
    if (path.modules.every((m) => completed.has(m.id))) {
      const skills = [...new Set(path.modules.flatMap((m) => m.skills))];
      await issueModuleBadge(
        deps,
        {
          learnerId: event.learnerId,
          learnerName: learner?.displayName,
          module: {
            id: path.id,
            title: path.title,
            description: path.description,
            skills,
            workloadHours: path.modules.reduce((s, m) => s + workloadOf(m), 0),
            criteria: `Complete all ${path.modules.length} modules of the training path: ${path.modules.map((m) => m.title).join("; ")}.`,
          },
          evidence: { casesPassed, mastery: masteryOf(skills) },
        },
      );
    }
  };
}
