import { useId, useState, type SubmitEvent } from 'react';
import './Quiz.css';

/** One answer option of a self-check question. */
export interface QuizOption {
  /** The option as the learner reads it. */
  text: string;
  /** True for the single right answer. */
  correct?: boolean;
  /** Why this option is right or wrong; shown when the learner checks it. */
  explanation: string;
}

/** One self-check question: a prompt and 2+ options, exactly one of them correct. */
export interface QuizQuestion {
  /** Stable id within the lesson (kebab-case); the progress store keys results by it. */
  id: string;
  prompt: string;
  options: QuizOption[];
}

export interface QuizProps {
  questions: QuizQuestion[];
  /**
   * False on the server and before hydration: every answer is then readable in a disclosure, so the
   * quiz works without JavaScript. True once hydrated: radio + Check with live feedback.
   */
  interactive: boolean;
  /** Called once per Check with the question id and whether the chosen option was right. */
  onAnswer?: (questionId: string, correct: boolean) => void;
}

/**
 * Throws a clear error for malformed quiz data (found at build time, since islands render on the
 * server first): each question needs a unique id and exactly one correct option.
 */
export function validateQuiz(questions: QuizQuestion[]): void {
  const seen = new Set<string>();
  for (const [i, q] of questions.entries()) {
    const where = `quiz question ${i + 1} ("${q.id}")`;
    if (!/^[a-z0-9-]+$/.test(q.id)) throw new Error(`${where}: id must be kebab-case`);
    if (seen.has(q.id)) throw new Error(`${where}: duplicate id`);
    seen.add(q.id);
    if (q.options.length < 2) throw new Error(`${where}: needs at least two options`);
    const right = q.options.filter((o) => o.correct).length;
    if (right !== 1) throw new Error(`${where}: needs exactly one correct option, has ${right}`);
  }
}

/** Renders `code` spans written with backticks in quiz text; everything else stays plain text. */
function inline(text: string) {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) =>
      part.length > 2 && part.startsWith('`') && part.endsWith('`') ? (
        <code key={i}>{part.slice(1, -1)}</code>
      ) : (
        part
      ),
    );
}

/** A self-check: one fieldset per question. Presentational; the island wires progress. */
export function Quiz({ questions, interactive, onAnswer }: QuizProps) {
  validateQuiz(questions);
  return (
    <div className="quiz">
      {questions.map((q, i) => (
        <QuizItem
          key={q.id}
          number={i + 1}
          question={q}
          interactive={interactive}
          onAnswer={onAnswer}
        />
      ))}
    </div>
  );
}

interface ItemProps {
  number: number;
  question: QuizQuestion;
  interactive: boolean;
  onAnswer: ((questionId: string, correct: boolean) => void) | undefined;
}

function QuizItem({ number, question, interactive, onAnswer }: ItemProps) {
  const base = useId();
  const [choice, setChoice] = useState<number | null>(null);
  const [checked, setChecked] = useState<number | null>(null);
  const feedbackId = `${base}-feedback`;
  const picked = checked === null ? undefined : question.options[checked];

  function check(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (choice === null) return;
    setChecked(choice);
    onAnswer?.(question.id, question.options[choice]?.correct === true);
  }

  return (
    <form className="quiz-item" onSubmit={check} noValidate>
      <fieldset aria-describedby={interactive ? feedbackId : undefined}>
        <legend>
          <span className="quiz-number">Question {number}.</span> {inline(question.prompt)}
        </legend>
        <ul className="quiz-options">
          {question.options.map((option, j) => {
            const id = `${base}-o${j}`;
            const state = checked === j ? (option.correct ? 'right' : 'wrong') : undefined;
            return (
              <li key={j} data-state={state}>
                <input
                  type="radio"
                  id={id}
                  name={`${base}-q`}
                  value={j}
                  checked={choice === j}
                  disabled={!interactive}
                  onChange={() => setChoice(j)}
                />
                <label htmlFor={id}>{inline(option.text)}</label>
              </li>
            );
          })}
        </ul>
        {interactive ? (
          <>
            <button type="submit" className="quiz-check" disabled={choice === null}>
              Check
            </button>
            <div id={feedbackId} className="quiz-feedback" aria-live="polite" role="status">
              {picked && (
                <p data-state={picked.correct ? 'right' : 'wrong'}>
                  <strong>{picked.correct ? 'Correct.' : 'Not quite.'}</strong>{' '}
                  {inline(picked.explanation)}
                </p>
              )}
            </div>
          </>
        ) : (
          <details className="quiz-answers">
            <summary>Show the answer</summary>
            <ul>
              {question.options.map((option, j) => (
                <li key={j}>
                  <strong>{option.correct ? 'Right' : 'Wrong'}:</strong> {inline(option.text)}
                  {' — '}
                  {inline(option.explanation)}
                </li>
              ))}
            </ul>
          </details>
        )}
      </fieldset>
    </form>
  );
}
