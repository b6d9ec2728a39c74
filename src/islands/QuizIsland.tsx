import { useEffect, useState } from 'react';
import { Quiz, type QuizQuestion } from '../ui/Quiz.tsx';
import { recordQuiz } from '../progress/store.ts';

export interface QuizIslandProps {
  /** The lesson slug (`why-streaming`), the key under which progress records the answers. */
  slug: string;
  questions: QuizQuestion[];
}

/**
 * The lesson self-check, hydrated `client:visible`. On the server (and without JavaScript) it
 * renders every question with its answers in a disclosure; once hydrated it becomes interactive and
 * records each checked answer in the progress store.
 */
export default function QuizIsland({ slug, questions }: QuizIslandProps) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <Quiz
      questions={questions}
      interactive={hydrated}
      onAnswer={(questionId, correct) => recordQuiz(slug, questionId, correct)}
    />
  );
}
