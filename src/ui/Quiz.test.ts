import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Quiz, validateQuiz, type QuizQuestion } from './Quiz.tsx';

const questions: QuizQuestion[] = [
  {
    id: 'done',
    prompt: 'Which stream ends with `data: [DONE]`?',
    options: [
      { text: 'OpenAI Chat Completions', correct: true, explanation: 'It sends the sentinel.' },
      { text: 'Anthropic Messages', explanation: 'It ends with `message_stop`.' },
    ],
  },
];

describe('validateQuiz', () => {
  it('accepts well-formed questions', () => {
    expect(() => validateQuiz(questions)).not.toThrow();
  });

  it('names the question and the problem', () => {
    const noRight = [
      { ...questions[0]!, options: questions[0]!.options.map((o) => ({ ...o, correct: false })) },
    ];
    expect(() => validateQuiz(noRight)).toThrow(
      'quiz question 1 ("done"): needs exactly one correct option, has 0',
    );
    expect(() => validateQuiz([questions[0]!, questions[0]!])).toThrow(
      'quiz question 2 ("done"): duplicate id',
    );
    expect(() => validateQuiz([{ ...questions[0]!, id: 'Bad Id' }])).toThrow(
      'id must be kebab-case',
    );
    expect(() =>
      validateQuiz([{ ...questions[0]!, options: questions[0]!.options.slice(0, 1) }]),
    ).toThrow('at least two options');
  });
});

describe('Quiz markup', () => {
  it('without JavaScript: a fieldset per question, answers in a disclosure, no Check button', () => {
    const html = renderToStaticMarkup(createElement(Quiz, { questions, interactive: false }));
    expect(html).toContain('<fieldset');
    expect(html).toContain('<legend>');
    expect(html).toContain('<details class="quiz-answers">');
    expect(html).toContain('<strong>Right:</strong> OpenAI Chat Completions');
    expect(html).toContain('<code>data: [DONE]</code>');
    expect(html).not.toContain('Check</button>');
  });

  it('interactive: radios, a Check button and a polite live region', () => {
    const html = renderToStaticMarkup(createElement(Quiz, { questions, interactive: true }));
    expect(html.match(/type="radio"/g)).toHaveLength(2);
    expect(html).toMatch(/<button type="submit" class="quiz-check" disabled="">Check<\/button>/);
    expect(html).toContain('aria-live="polite"');
    expect(html).not.toContain('<details');
  });
});
