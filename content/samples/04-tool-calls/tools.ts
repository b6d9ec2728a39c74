import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';

/** The JSON Schema of both tools' arguments, shared by the OpenAI and Anthropic definitions. */
const weatherSchema = {
  type: 'object' as const,
  properties: {
    city: { type: 'string', description: 'City name, e.g. "Paris"' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
  },
  required: ['city', 'unit'],
  additionalProperties: false,
};

const timeSchema = {
  type: 'object' as const,
  properties: { timezone: { type: 'string', description: 'IANA zone, e.g. "Europe/Paris"' } },
  required: ['timezone'],
  additionalProperties: false,
};

/** Tool definitions in OpenAI Chat Completions form. */
export const openaiTools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather in a city',
      parameters: weatherSchema,
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      description: 'Current time in a time zone',
      parameters: timeSchema,
    },
  },
];

/** The same tools in Anthropic Messages form. */
export const anthropicTools: Tool[] = [
  { name: 'get_weather', description: 'Current weather in a city', input_schema: weatherSchema },
  { name: 'get_time', description: 'Current time in a time zone', input_schema: timeSchema },
];

export const question = 'What is the weather in Paris, and what time is it there?';
