import { describe, expect, it } from 'vitest';
import { crossValidationErrors } from '../../bin/commands/storyline-command.ts';

const label = (id: string, title: string, relevant: boolean) => ({ id, title, relevant });

describe('storyline train: what cross-validation got wrong', () => {
  it('counts misses and false alarms and shows the nearest to the threshold first', () => {
    const labels = [
      label('1', 'Far miss', true),
      label('2', 'Near miss', true),
      label('3', 'Kept and right', true),
      label('4', 'False alarm', false),
      label('5', 'Left and right', false),
    ];
    const heldOut = [
      { score: -3, threshold: 1, relevant: false },
      { score: 0.9, threshold: 1, relevant: false },
      { score: 2, threshold: 1, relevant: true },
      { score: 1.2, threshold: 1, relevant: true },
      { score: -1, threshold: 1, relevant: false },
    ];
    expect(crossValidationErrors(labels, heldOut)).toEqual([
      'In cross-validation it missed 2 of 3 relevant labels; the nearest:',
      '  0.90 (threshold 1.00)  Near miss',
      '  -3.00 (threshold 1.00)  Far miss',
      'In cross-validation it kept 1 of 2 labels marked not relevant; the nearest:',
      '  1.20 (threshold 1.00)  False alarm',
      'A miss usually names the story in words the storyline lacks: add them as aliases or themes, or label more like it, and train again.',
    ]);
  });

  it('says nothing when every held-out label was decided right', () => {
    expect(
      crossValidationErrors([label('1', 'a', true)], [{ score: 2, threshold: 1, relevant: true }]),
    ).toEqual([]);
  });
});
