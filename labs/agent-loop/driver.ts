/**
 * What Run does: asks your agent about the weather in Paris with a weather tool, and logs every event
 * the browser would get. The timeline shows each model turn your loop streamed.
 */
import { runAgent, type AgentEvent } from './starter.ts';

export default async function run() {
  const events: AgentEvent[] = [];
  await runAgent('What is the weather in Paris, and should I take an umbrella?', {
    tools: {
      get_weather: {
        description: 'Current weather for a city',
        input_schema: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
        run: async (input) =>
          JSON.stringify({
            city: (input as { city?: string }).city,
            sky: 'light rain',
            celsius: 14,
          }),
      },
    },
    emit(event) {
      events.push(event);
      const last = events[events.length - 2];
      // Consecutive deltas of one kind are logged as one line, as a UI would show them.
      if ((event.type === 'thinking' || event.type === 'delta') && last?.type === event.type)
        return;
      console.log(JSON.stringify(event));
    },
  });
  const text = (type: 'thinking' | 'delta') =>
    events.flatMap((e) => (e.type === type ? [e.text] : [])).join('');
  console.log(`thinking: ${text('thinking').length} characters; answer: ${text('delta')}`);
  return { events: events.length, last: events[events.length - 1]?.type };
}
