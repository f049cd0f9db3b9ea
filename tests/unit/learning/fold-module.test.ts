import { foldModule, type LearnerRecords } from '../../../src/features/learning';

const at = (day: number) => new Date(Date.UTC(2026, 0, day));

function records(parts: Partial<LearnerRecords>): LearnerRecords {
  return { lessons: [], attempts: [], grades: [], moduleCompletions: [], courseCompletion: undefined, worksheets: [], ...parts };
}

const lessonsDone = ['a', 'b'].map((lessonId, i) => ({ userId: 'u', moduleId: 'm', lessonId, completedAt: at(i + 1) }));
const passed = [{ userId: 'u', moduleId: 'm', attemptId: 'x', attemptNumber: 1, scorePercent: 90, passed: true, gradedAt: at(3) }] as unknown as LearnerRecords['grades'];
const attempts = [{ userId: 'u', moduleId: 'm', number: 1, startedAt: at(3) }] as unknown as LearnerRecords['attempts'];

describe('a module’s status with the worksheet rule', () => {
  it('when the module requires its worksheet, lessons are done and the quiz passed, then it is due until the worksheet is finished', () => {
    const shape = { moduleId: 'm', lessonIds: ['a', 'b'], worksheetRequired: true };
    const due = foldModule(records({ lessons: lessonsDone, grades: passed, attempts }), shape);
    expect(due).toMatchObject({ status: 'worksheetDue', worksheetRequired: true, worksheetFinishedAt: undefined });
    const finished = foldModule(records({ lessons: lessonsDone, grades: passed, attempts, worksheets: [{ userId: 'u', moduleId: 'm', finishedAt: at(4) }] }), shape);
    // completion itself is the recorded fact (module_completions), which the rule decides when it is written
    expect(finished).toMatchObject({ status: 'lessonsDone', worksheetFinishedAt: at(4) });
  });

  it('when the quiz is not passed yet, then lessons done reads as before, whatever the worksheet', () => {
    const shape = { moduleId: 'm', lessonIds: ['a', 'b'], worksheetRequired: true };
    expect(foldModule(records({ lessons: lessonsDone }), shape).status).toBe('lessonsDone');
  });

  it('when the module does not require it, then a finished worksheet is not even looked at', () => {
    const shape = { moduleId: 'm', lessonIds: ['a', 'b'] };
    const p = foldModule(records({ lessons: lessonsDone, grades: passed, attempts, worksheets: [{ userId: 'u', moduleId: 'm', finishedAt: at(4) }] }), shape);
    expect(p).toMatchObject({ status: 'lessonsDone', worksheetRequired: false, worksheetFinishedAt: undefined });
  });
});
