// The knowledge base's categories: the policy's officer tools (bylaws, social research guide, support policy).
export const KNOWLEDGE_CATEGORIES = ['bylaws', 'research_guide', 'support_policy', 'other'] as const;
export type KnowledgeCategory = (typeof KNOWLEDGE_CATEGORIES)[number];
