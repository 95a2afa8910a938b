import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { session } from "../session/token";
import { SignIn } from "../screens/sign-in/SignIn";
import { SignUp } from "../screens/sign-in/SignUp";
import { Shell } from "./Shell";
import { SCREENS } from "./routes";

const queries = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const signedIn = createBrowserRouter([
  {
    path: "/",
    element: <Shell />,
    children: [
      { index: true, element: <Navigate to="/contacts" replace /> },
      ...SCREENS.map((screen) => ({ path: screen.path, element: screen.element })),
      { path: "*", element: <Navigate to="/contacts" replace /> },
    ],
  },
]);

const signedOut = createBrowserRouter([
  { path: "/sign-up", element: <SignUp /> },
  { path: "*", element: <SignIn /> },
]);

export function App() {
  const token = useSyncExternalStore(session.subscribe, session.token);
  return (
    <QueryClientProvider client={queries}>
      <RouterProvider key={token ? "in" : "out"} router={token ? signedIn : signedOut} />
    </QueryClientProvider>
  );
}
